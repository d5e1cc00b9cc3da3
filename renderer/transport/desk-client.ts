// The one interface the UI uses to talk to the desk backend, whatever carries it.
import type { DeskOperation, DeskErrorCode, DeskEvent, DeskFailure, DeskInput, DeskOutput } from '../../shared/contract/desk-api';

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
    /** What the failure carries besides its code and message (a host's desk limit, a cache's reason), kept as the backend sent it. */
    readonly extras: Omit<DeskFailure, 'code' | 'message'> = {},
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
  return { code: e.code, message: e.message, ...e.extras };
}
