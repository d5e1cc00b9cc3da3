// The one interface the UI uses to talk to the desk backend, whatever carries it.
import type { CacheUnavailableReason, DeskOperation, DeskErrorCode, DeskEvent, DeskFailure, DeskInput, DeskOutput } from '../../shared/contract/desk-api';

export interface DeskClient {
  /** Resolves with the operation's parsed output; rejects with a DeskClientError. */
  call<C extends DeskOperation>(operation: C, input: DeskInput<C>): Promise<DeskOutput<C>>;
  /** Subscribes to backend events; returns the unsubscribe function. */
  onEvent(listener: (event: DeskEvent) => void): () => void;
}

export class DeskClientError extends Error {
  constructor(
    readonly code: DeskErrorCode,
    message: string,
    /** With too_many_desks: how many users' desks the host serves at once. */
    readonly deskLimit?: number,
    /** With cache_unavailable: why the local cache cannot be used. */
    readonly cacheReason?: CacheUnavailableReason,
  ) {
    super(message);
    this.name = 'DeskClientError';
  }
}

/** Any rejection as a DeskClientError, so callers handle one error type. */
export function asDeskClientError(error: unknown): DeskClientError {
  if (error instanceof DeskClientError) return error;
  return new DeskClientError('internal', error instanceof Error ? error.message : String(error));
}

/** Any rejection as the DeskFailure value the state keeps. */
export function failureOf(error: unknown): DeskFailure {
  const e = asDeskClientError(error);
  const failure: DeskFailure = { code: e.code, message: e.message };
  if (e.deskLimit !== undefined) failure.deskLimit = e.deskLimit;
  if (e.cacheReason !== undefined) failure.cacheReason = e.cacheReason;
  return failure;
}
