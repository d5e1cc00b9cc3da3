// Where each user's desk keeps its cache in browser mode: <dataDir>/desks/<agentId>/desk-cache.sqlite.
// The cache, its outbox and its device id belong to one desk, so each signed-in user has their own;
// an outcome not yet sent stays in that user's folder until their next login sends it.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Username } from '../shared/contract/users';
import type { DeskBackendLike, DeskOpener } from './user-desks';

export const CACHE_FILE = 'desk-cache.sqlite';
// SQLite's write-ahead log and shared-memory index go with the database file, or committed rows are lost.
const SQLITE_FILES = ['', '-wal', '-shm'];

export function deskDirectory(dataDir: string, agentId: string): string {
  // A username is letters, digits, dots, dashes and underscores, starting with a letter or digit: never a path of its own.
  return path.join(dataDir, 'desks', Username.parse(agentId));
}

/**
 * The users whose desk folders hold a cache, the most recently written first: the desks a starting
 * host opens ahead of their logins, as many as it has slots for.
 */
export function usersWithCaches(dataDir: string): string[] {
  const desksDir = path.join(dataDir, 'desks');
  if (!existsSync(desksDir)) return [];
  return readdirSync(desksDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && Username.safeParse(entry.name).success)
    .flatMap((entry) => {
      const cache = statSync(path.join(deskDirectory(dataDir, entry.name), CACHE_FILE), { throwIfNoEntry: false });
      return cache?.isFile() ? [{ agentId: entry.name, writtenAt: cache.mtimeMs }] : [];
    })
    .sort((a, b) => b.writtenAt - a.writtenAt)
    .map(({ agentId }) => agentId);
}

/**
 * Opens desks in their own folders. The single cache an earlier host kept at <dataDir>/desk-cache.sqlite
 * goes to the first user who signs in, as that host would have sent its outbox with the next login.
 */
export function deskOpener(dataDir: string, open: (cachePath: string) => DeskBackendLike): DeskOpener {
  const sharedCache = path.join(dataDir, CACHE_FILE);
  return (agentId) => {
    const directory = deskDirectory(dataDir, agentId);
    const cachePath = path.join(directory, CACHE_FILE);
    if (existsSync(directory)) return { backend: open(cachePath) };
    mkdirSync(directory, { recursive: true });
    const tookSharedCache = moveCache(sharedCache, cachePath);
    return {
      backend: open(cachePath),
      // A folder made for a login that failed: nobody typed anything into it. A shared cache it took goes back, for the next login.
      discard() {
        if (tookSharedCache) moveCache(cachePath, sharedCache);
        rmSync(directory, { recursive: true, force: true });
      },
    };
  };
}

/** Moves a SQLite database with its companion files; false when there is none. */
function moveCache(from: string, to: string): boolean {
  if (!existsSync(from)) return false;
  for (const suffix of SQLITE_FILES) if (existsSync(from + suffix)) renameSync(from + suffix, to + suffix);
  return true;
}
