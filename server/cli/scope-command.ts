// `clm scope set|clear|refresh|list`: the part of the book each team's desks cache (server/sync/cache-scopes.ts).
// A team without a scope caches the whole book. Same database rules as `clm users` (stop the API when it runs on PGlite).
import path from 'node:path';
import type { SqlClient } from '../db/sql-client';
import { CacheScopeError, clearCacheScope, DEFAULT_HOT_SET_CAP, listCacheScopes, refreshScopeMembers, setCacheScope } from '../sync/cache-scopes';
import { withCliDatabase } from './cli-database';
import { CliUsageError } from './model-commands/cli-error';
import { parseCommandFlags, requiredFlag } from './model-commands/command-flags';

const DATABASE = '[--data-dir DIR]';
export const SCOPE_USAGE = [
  `clm scope set --team T --regions R1,R2 [--hot-set-cap N (default ${DEFAULT_HOT_SET_CAP})] ${DATABASE}`,
  `clm scope clear --team T ${DATABASE}   (the team's desks cache the whole book again)`,
  `clm scope refresh [--team T] ${DATABASE}   (re-rank the hot set and re-read regions now; the API also does it every 5 minutes)`,
  `clm scope list [--json] ${DATABASE}`,
];

const databaseFlag = { 'data-dir': { type: 'string', default: path.resolve('.data/server') } } as const;

const withDatabase = <T>(dataDir: string, work: (db: SqlClient) => Promise<T>) =>
  withCliDatabase(dataDir, work, (error) => (error instanceof CacheScopeError ? `scope: ${error.message}` : null));

function hotSetCapOf(command: string, text: string | undefined): number {
  if (text === undefined) return DEFAULT_HOT_SET_CAP;
  if (!/^\d+$/.test(text)) throw new CliUsageError(`${command}: --hot-set-cap must be a whole number ≥ 0, not "${text}"`);
  return Number(text);
}

export async function runScopeCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const command = `scope ${action ?? ''}`.trim();
  switch (action) {
    case 'set': {
      const flags = parseCommandFlags(command, rest, {
        ...databaseFlag,
        team: { type: 'string' },
        regions: { type: 'string' },
        'hot-set-cap': { type: 'string' },
      });
      const team = requiredFlag(command, flags.team, 'team');
      const regions = (flags.regions ?? '').split(',');
      const hotSetCap = hotSetCapOf(command, flags['hot-set-cap']);
      const { scope, entered, left } = await withDatabase(flags['data-dir'], (db) =>
        setCacheScope(db, { team, regions, hotSetCap, by: process.env.USER ?? 'clm', now: new Date() }),
      );
      console.log(`scope of team ${team}: regions ${scope.regions.join(',') || '-'}, hot set ≤ ${scope.hotSetCap}; ${entered} customers entered, ${left} left`);
      return;
    }
    case 'clear': {
      const flags = parseCommandFlags(command, rest, { ...databaseFlag, team: { type: 'string' } });
      const team = requiredFlag(command, flags.team, 'team');
      const cleared = await withDatabase(flags['data-dir'], (db) => clearCacheScope(db, team));
      console.log(cleared ? `team ${team} caches the whole book again` : `team ${team} had no scope: it caches the whole book`);
      return;
    }
    case 'refresh': {
      const flags = parseCommandFlags(command, rest, { ...databaseFlag, team: { type: 'string' } });
      await withDatabase(flags['data-dir'], async (db) => {
        const teams = flags.team === undefined ? (await listCacheScopes(db)).map((s) => s.scope.team) : [flags.team];
        for (const team of teams) {
          const written = await refreshScopeMembers(db, team, new Date());
          if (written === null) throw new CacheScopeError(`team ${team} has no scope (clm scope set first)`);
          console.log(`team ${team}: ${written.entered} customers entered, ${written.left} left`);
        }
      });
      return;
    }
    case 'list': {
      const flags = parseCommandFlags(command, rest, { ...databaseFlag, json: { type: 'boolean' } });
      const scopes = await withDatabase(flags['data-dir'], listCacheScopes);
      if (flags.json) console.log(JSON.stringify({ scopes }));
      else if (scopes.length === 0) console.log('no team has a cache scope: every desk caches the whole book');
      else
        for (const { scope, members, hot } of scopes)
          console.log(`${scope.team}\tregions ${scope.regions.join(',') || '-'}\thot set ≤ ${scope.hotSetCap}\t${members} customers (${hot} hot)`);
      return;
    }
    default:
      throw new CliUsageError(`scope: unknown action "${action ?? ''}" (expected set, clear, refresh, list)`);
  }
}
