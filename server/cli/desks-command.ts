// `clm desks list|revoke|reinstate`: the desks in the central database and their revocation
// (DATABASE_URL, else the embedded PGlite data dir, which takes one process at a time: stop the API
// first). The same operations as the admin routes under /desks.
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { RevokeDeskRequest, type DeskRecord } from '../../shared/contract/desks';
import { createDeskRegistry, DeskAdminError } from '../desks/desk-registry';
import type { SqlClient } from '../db/sql-client';
import { withCliDatabase } from './cli-database';
import { CliUsageError } from './model-commands/cli-error';
import { parseCommandFlags, requiredFlag } from './model-commands/command-flags';

const DATABASE = '[--data-dir DIR]';
export const DESKS_USAGE = [
  `clm desks list [--json] ${DATABASE}`,
  `clm desks revoke --desk ID --reason TEXT [--discard-unsent] [--by NAME] ${DATABASE}`,
  '  (the desk erases its copy of the book when it hears of it; its unsent work is kept until reinstated, or erased with --discard-unsent)',
  `clm desks reinstate --desk ID ${DATABASE}`,
];

const databaseFlag = { 'data-dir': { type: 'string', default: path.resolve('.data/server') } } as const;

const withDatabase = <T>(dataDir: string, work: (db: SqlClient) => Promise<T>) =>
  withCliDatabase(dataDir, work, (error) => {
    if (error instanceof DeskAdminError) return `desks: ${error.message}`;
    if (error instanceof z.ZodError) return `desks: ${error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`;
    return null;
  });

function describe(desk: DeskRecord): string {
  const revocation =
    desk.revokedAt === null ? 'active' : `revoked ${desk.revokedAt} by ${desk.revokedBy ?? '-'} (unsent: ${desk.unsent ?? '-'}): ${desk.revokeReason ?? ''}`;
  return `${desk.deskId}\t${desk.lastUserId ?? '-'}\t${desk.lastSeenAt ?? '-'}\t${revocation}`;
}

export async function runDesksCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const command = `desks ${action ?? ''}`.trim();
  switch (action) {
    case 'list': {
      const flags = parseCommandFlags(command, rest, { ...databaseFlag, json: { type: 'boolean' } });
      const desks = await withDatabase(flags['data-dir'], (db) => createDeskRegistry(db).list());
      if (flags.json) console.log(JSON.stringify({ desks }));
      else for (const desk of desks) console.log(describe(desk));
      return;
    }
    case 'revoke': {
      const flags = parseCommandFlags(command, rest, {
        ...databaseFlag,
        desk: { type: 'string' },
        reason: { type: 'string' },
        'discard-unsent': { type: 'boolean' },
        by: { type: 'string' },
      });
      const deskId = requiredFlag(command, flags.desk, 'desk');
      const request = RevokeDeskRequest.parse({ reason: requiredFlag(command, flags.reason, 'reason'), unsent: flags['discard-unsent'] ? 'discard' : 'hold' });
      const by = flags.by?.trim() || os.userInfo().username;
      const desk = await withDatabase(flags['data-dir'], (db) => createDeskRegistry(db).revoke(deskId, { by, ...request }));
      console.log(`revoked ${describe(desk)}`);
      console.log(
        desk.unsent === 'discard'
          ? 'its sessions are over; at its next request or start it erases its cache, unsent work included'
          : 'its sessions are over; at its next request or start it erases its copy of the book and keeps its unsent work until reinstated (or revoked again with --discard-unsent)',
      );
      return;
    }
    case 'reinstate': {
      const flags = parseCommandFlags(command, rest, { ...databaseFlag, desk: { type: 'string' } });
      const deskId = requiredFlag(command, flags.desk, 'desk');
      const desk = await withDatabase(flags['data-dir'], (db) => createDeskRegistry(db).reinstate(deskId));
      console.log(`reinstated ${describe(desk)} (it may sign in again; its held work uploads then)`);
      return;
    }
    default:
      throw new CliUsageError(`desks: unknown action "${action ?? ''}" (expected list, revoke, reinstate)`);
  }
}
