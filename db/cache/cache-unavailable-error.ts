// The one error the desk raises when its local cache cannot be used. Callers show it as an app
// state ("local cache unavailable"); the file is never deleted or rewritten, because its outbox
// may hold outcomes that exist nowhere else.
import type { CacheUnavailableReason } from '../../shared/contract/desk-api';

/**
 * The reasons are the desk contract's (CACHE_UNAVAILABLE_REASONS), so the screen can name them.
 * `wrong_key`: an encrypted cache that this desk's key does not open (the key sealed beside it was
 * replaced, or the file came from another desk); `not_a_database`: a file that is no SQLite database at all.
 */
export type { CacheUnavailableReason };

export class CacheUnavailableError extends Error {
  override readonly name = 'CacheUnavailableError';

  constructor(
    readonly reason: CacheUnavailableReason,
    readonly path: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`local cache ${path} is unavailable (${reason}): ${detail}. The file was left untouched.`, options);
  }
}

/** SQLite result codes that mean the file itself is unusable rather than a bug in a query. */
const REASON_BY_SQLITE_CODE: Record<string, CacheUnavailableReason> = {
  SQLITE_NOTADB: 'not_a_database',
  SQLITE_CORRUPT: 'corrupt',
  SQLITE_CANTOPEN: 'cannot_open',
  SQLITE_READONLY: 'cannot_open',
  SQLITE_PERM: 'cannot_open',
};

export function cacheReasonForSqliteCode(code: string): CacheUnavailableReason | null {
  // Extended codes (SQLITE_CORRUPT_VTAB, SQLITE_READONLY_DBMOVED, SQLITE_IOERR_*) share the primary prefix.
  if (code.startsWith('SQLITE_IOERR')) return 'cannot_open';
  for (const [prefix, reason] of Object.entries(REASON_BY_SQLITE_CODE)) {
    if (code === prefix || code.startsWith(`${prefix}_`)) return reason;
  }
  return null;
}
