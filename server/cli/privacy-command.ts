// `clm privacy purge|export|erase`: personal data under PIPL in the central database (DATABASE_URL,
// else the embedded PGlite data dir, which takes one process at a time: stop the API first).
// purge applies the retention windows (server/privacy/retention-policy.ts) and is meant for a daily
// timer; export answers a subject-access request; erase carries out an erasure request.
import { withCliDatabase } from './cli-database';
import os from 'node:os';
import path from 'node:path';
import type { SqlClient } from '../db/sql-client';
import { UnknownCustomerError } from '../privacy/customer-records';
import { exportCustomer } from '../privacy/customer-export';
import { eraseCustomer, type ErasureResult } from '../privacy/erase-customer';
import { purgeExpired, type PurgeCount } from '../privacy/purge-expired';
import { resolveRetentionPolicy, RetentionPolicyError } from '../privacy/retention-policy';
import { CliUsageError } from './model-commands/cli-error';
import { parseCommandFlags, requiredFlag } from './model-commands/command-flags';

const DATABASE = '[--data-dir DIR]';
export const PRIVACY_USAGE = [
  `clm privacy purge [--dry-run] [--json] [--batch-size N] ${DATABASE}`,
  '  (retention in days from CLM_RETENTION_{CTI_CALLS,CARD_VIEW_AUDIT,OUTCOME_NOTES,CUSTOMER_EVENTS}_DAYS)',
  `clm privacy export --customer ID --out FILE.json ${DATABASE}`,
  `clm privacy erase --customer ID --reason TEXT [--by NAME] ${DATABASE}`,
];

const DEFAULT_BATCH_SIZE = 5_000;
const databaseFlag = { 'data-dir': { type: 'string', default: path.resolve('.data/server') } } as const;

const withDatabase = <T>(dataDir: string, work: (db: SqlClient) => Promise<T>) =>
  withCliDatabase(dataDir, work, (error) => (error instanceof UnknownCustomerError ? `privacy: ${error.message}` : null));

function batchSizeOf(command: string, raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_BATCH_SIZE;
  const size = Number(raw);
  if (!Number.isSafeInteger(size) || size < 1) throw new CliUsageError(`${command}: --batch-size must be a whole number of rows, at least 1 (got "${raw}")`);
  return size;
}

export function describePurge(counts: readonly PurgeCount[], dryRun: boolean): string {
  const verb = dryRun ? 'due (dry run, nothing changed)' : 'purged';
  return counts.map((c) => `${c.target}\t${c.purged} ${verb}\tolder than ${c.retentionDays} days (received before ${c.cutoff})`).join('\n');
}

export function describeErasure(result: ErasureResult): string {
  if (result.status === 'already_erased') return `customer ${result.customerId} was already erased at ${result.erasedAt} by ${result.erasedBy}; nothing to do`;
  const rows = Object.entries(result.rows).map(([target, count]) => `  ${target}: ${count}`);
  return [`customer ${result.customerId} erased at ${result.erasedAt}`, ...rows].join('\n');
}

export async function runPrivacyCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const command = `privacy ${action ?? ''}`.trim();
  switch (action) {
    case 'purge': {
      const flags = parseCommandFlags(command, rest, {
        ...databaseFlag,
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'batch-size': { type: 'string' },
      });
      const batchSize = batchSizeOf(command, flags['batch-size']);
      let policy;
      try {
        policy = resolveRetentionPolicy();
      } catch (error) {
        if (error instanceof RetentionPolicyError) throw new CliUsageError(`${command}: ${error.message}`);
        throw error;
      }
      const dryRun = flags['dry-run'];
      const counts = await withDatabase(flags['data-dir'], (db) => purgeExpired(db, { policy, now: new Date(), dryRun, batchSize }));
      console.log(flags.json ? JSON.stringify({ dryRun, counts }) : describePurge(counts, dryRun));
      return;
    }
    case 'export': {
      const flags = parseCommandFlags(command, rest, { ...databaseFlag, customer: { type: 'string' }, out: { type: 'string' } });
      const customerId = requiredFlag(command, flags.customer, 'customer');
      const out = path.resolve(requiredFlag(command, flags.out, 'out'));
      const exported = await withDatabase(flags['data-dir'], (db) => exportCustomer(db, customerId, out, new Date()));
      const rows = Object.values(exported.tables).reduce((sum, table) => sum + table.length, 0);
      console.log(`customer ${customerId}: ${rows} rows from ${Object.keys(exported.tables).length} tables written to ${out}`);
      return;
    }
    case 'erase': {
      const flags = parseCommandFlags(command, rest, { ...databaseFlag, customer: { type: 'string' }, reason: { type: 'string' }, by: { type: 'string' } });
      const customerId = requiredFlag(command, flags.customer, 'customer');
      const reason = requiredFlag(command, flags.reason, 'reason');
      const erasedBy = flags.by?.trim() || os.userInfo().username;
      const result = await withDatabase(flags['data-dir'], (db) => eraseCustomer(db, { customerId, erasedBy, reason, now: new Date() }));
      console.log(describeErasure(result));
      return;
    }
    default:
      throw new CliUsageError(`unknown privacy action "${action ?? ''}" (expected purge, export or erase)`);
  }
}
