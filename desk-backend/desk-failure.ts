// Maps anything a handler throws to the DeskFailure the renderer sees. Known conditions get
// their contract code and a readable message; everything else is "internal" with a generic
// message, so stack traces and driver details never cross the process boundary.
import Database from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import type { DeskErrorCode, DeskFailure } from '../shared/contract/desk-api';
import { CacheUnavailableError, cacheReasonForSqliteCode } from '../db/cache/cache-unavailable-error';
import { CentralApiError } from './central-api/central-api-client';

/** A failure a handler raises on purpose (no session, backend closed). */
export class DeskError extends Error {
  override readonly name = 'DeskError';
  constructor(
    readonly code: DeskErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const INTERNAL_FAILURE: DeskFailure = { code: 'internal', message: 'internal error in the desk backend' };

export function toDeskFailure(error: unknown): DeskFailure {
  if (error instanceof DeskError) return { code: error.code, message: error.message };
  if (error instanceof CacheUnavailableError) return { code: 'cache_unavailable', message: error.message, cacheReason: error.reason };
  if (error instanceof Database.SqliteError) {
    if (error.code.startsWith('SQLITE_FULL')) return { code: 'cache_unavailable', message: 'the disk holding the local cache is full' };
    const reason = cacheReasonForSqliteCode(error.code);
    if (reason !== null) return { code: 'cache_unavailable', message: `local cache unavailable (${reason})`, cacheReason: reason };
  }
  if (error instanceof CentralApiError) return centralApiFailure(error);
  return INTERNAL_FAILURE;
}

function centralApiFailure(error: CentralApiError): DeskFailure {
  switch (error.kind) {
    case 'offline':
      return { code: 'offline', message: error.message };
    case 'unauthenticated':
      return { code: 'unauthenticated', message: error.message };
    case 'desk_revoked':
      return { code: 'desk_revoked', message: error.message };
    case 'bad_response':
      return INTERNAL_FAILURE;
    case 'http': {
      const status = error.status ?? 500;
      // A central API that answers 5xx is, for the agent, as good as unreachable: keep working locally.
      if (status >= 500) return { code: 'offline', message: error.message };
      if (status === 403) return { code: 'forbidden', message: error.message };
      if (status === 404) return { code: 'not_found', message: error.message };
      return { code: 'bad_request', message: error.message };
    }
  }
}

/** "phone: Too big; callId: Invalid input": the paths that failed, for a bad_request message. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length === 0 ? '(input)' : issue.path.map(String).join('.')}: ${issue.message}`).join('; ');
}
