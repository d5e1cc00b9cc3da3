// `clm users create|disable|enable|reset-password|set-team|set-external-id|list`: staff accounts in the
// central database (DATABASE_URL, else the embedded PGlite data dir, which takes one process at a
// time: stop the API first). The same operations as the admin routes under /users.
import { withCliDatabase } from './cli-database';
import path from 'node:path';
import { z } from 'zod';
import { Role } from '../../shared/contract/central-api';
import type { UserAccount } from '../../shared/contract/users';
import type { SqlClient } from '../db/sql-client';
import { createUser, generatePassword, listUsers, resetPassword, updateUser, UserAdminError } from '../users/user-accounts';
import { CliUsageError } from './model-commands/cli-error';
import { parseCommandFlags, requiredFlag } from './model-commands/command-flags';

const DATABASE = '[--data-dir DIR]';
export const USERS_USAGE = [
  `clm users create --username U --role ${Role.options.join('|')} --display-name NAME [--team T] [--external-id ID] [--password-stdin] ${DATABASE}`,
  `clm users disable|enable --username U ${DATABASE}`,
  `clm users reset-password --username U [--password-stdin] ${DATABASE}`,
  `clm users set-team --username U (--team T | --no-team) ${DATABASE}`,
  `clm users set-external-id --username U (--external-id ID | --no-external-id) ${DATABASE}`,
  `clm users list [--json] ${DATABASE}`,
  '  (without --password-stdin a password meeting the policy is generated and printed once)',
];

const databaseFlag = { 'data-dir': { type: 'string', default: path.resolve('.data/server') } } as const;
const usernameFlag = { username: { type: 'string' } } as const;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** The password given on stdin, or a generated one the command prints once. */
async function passwordFor(fromStdin: boolean | undefined): Promise<{ password: string; generated: boolean }> {
  return fromStdin ? { password: await readStdin(), generated: false } : { password: generatePassword(), generated: true };
}

// A refused request is bad input (exit code 2) with the reason, like a bad flag.
const withDatabase = <T>(dataDir: string, work: (db: SqlClient) => Promise<T>) =>
  withCliDatabase(dataDir, work, (error) => {
    if (error instanceof UserAdminError) return `users: ${error.message}`;
    if (error instanceof z.ZodError) return `users: ${error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`;
    return null;
  });

const describe = (user: UserAccount) =>
  `${user.username}\t${user.role}\t${user.team ?? '-'}\t${user.disabled ? 'disabled' : 'active'}\t${user.externalId ?? '-'}\t${user.displayName}`;

function printPassword(username: string, password: { password: string; generated: boolean }): void {
  if (password.generated) console.log(`password for ${username} (shown once; give it over in person and have it changed): ${password.password}`);
}

export async function runUsersCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const command = `users ${action ?? ''}`.trim();
  switch (action) {
    case 'create': {
      const flags = parseCommandFlags(command, rest, {
        ...databaseFlag,
        ...usernameFlag,
        role: { type: 'string' },
        'display-name': { type: 'string' },
        team: { type: 'string' },
        'external-id': { type: 'string' },
        'password-stdin': { type: 'boolean' },
      });
      const username = requiredFlag(command, flags.username, 'username');
      const role = Role.safeParse(requiredFlag(command, flags.role, 'role'));
      if (!role.success) throw new CliUsageError(`${command}: --role must be one of ${Role.options.join(', ')}`);
      const displayName = requiredFlag(command, flags['display-name'], 'display-name');
      const password = await passwordFor(flags['password-stdin']);
      const user = await withDatabase(flags['data-dir'], (db) =>
        createUser(db, {
          username,
          role: role.data,
          displayName,
          team: flags.team ?? null,
          externalId: flags['external-id'] ?? null,
          password: password.password,
        }),
      );
      console.log(`created ${describe(user)}`);
      printPassword(user.username, password);
      return;
    }
    case 'disable':
    case 'enable': {
      const flags = parseCommandFlags(command, rest, { ...databaseFlag, ...usernameFlag });
      const username = requiredFlag(command, flags.username, 'username');
      const user = await withDatabase(flags['data-dir'], (db) => updateUser(db, username, { disabled: action === 'disable' }));
      console.log(`${action}d ${describe(user)}${action === 'disable' ? ' (its sessions are revoked)' : ''}`);
      return;
    }
    case 'reset-password': {
      const flags = parseCommandFlags(command, rest, { ...databaseFlag, ...usernameFlag, 'password-stdin': { type: 'boolean' } });
      const username = requiredFlag(command, flags.username, 'username');
      const password = await passwordFor(flags['password-stdin']);
      const user = await withDatabase(flags['data-dir'], (db) => resetPassword(db, username, password.password));
      console.log(`password reset for ${user.username} (its sessions are revoked)`);
      printPassword(user.username, password);
      return;
    }
    case 'set-team':
    case 'set-external-id': {
      const flags = parseCommandFlags(command, rest, {
        ...databaseFlag,
        ...usernameFlag,
        team: { type: 'string' },
        'no-team': { type: 'boolean' },
        'external-id': { type: 'string' },
        'no-external-id': { type: 'boolean' },
      });
      const username = requiredFlag(command, flags.username, 'username');
      const field = action === 'set-team' ? 'team' : 'external-id';
      const value = action === 'set-team' ? flags.team : flags['external-id'];
      const clear = action === 'set-team' ? flags['no-team'] === true : flags['no-external-id'] === true;
      const other = action === 'set-team' ? (flags['external-id'] ?? flags['no-external-id']) : (flags.team ?? flags['no-team']);
      if (other !== undefined || (value === undefined) === !clear) throw new CliUsageError(`${command}: give either --${field} VALUE or --no-${field}`);
      const newValue = clear ? null : value!;
      const user = await withDatabase(flags['data-dir'], (db) =>
        updateUser(db, username, action === 'set-team' ? { team: newValue } : { externalId: newValue }),
      );
      console.log(`updated ${describe(user)}`);
      return;
    }
    case 'list': {
      const flags = parseCommandFlags(command, rest, { ...databaseFlag, json: { type: 'boolean' } });
      const users = await withDatabase(flags['data-dir'], listUsers);
      if (flags.json) console.log(JSON.stringify({ users }));
      else for (const user of users) console.log(describe(user));
      return;
    }
    default:
      throw new CliUsageError(`users: unknown action "${action ?? ''}" (expected create, disable, enable, reset-password, set-team, set-external-id, list)`);
  }
}
