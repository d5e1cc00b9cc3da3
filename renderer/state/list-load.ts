// Loading a list from the desk (counter search, outbound queue, supervisor reports): only the
// newest answer of each list is kept.
import type { DeskFailure } from '../../shared/contract/desk-api';
import { failureOf } from '../transport/desk-client';
import type { SliceContext } from './slice-context';

export type LoadStatus = 'idle' | 'loading' | 'done' | 'failed';

/** Runs a load so that only the newest one of its kind writes its result. */
export function latestOnly() {
  let seq = 0;
  return async <T>(load: () => Promise<T>, onDone: (value: T) => void, onFailed: (error: unknown) => void) => {
    const mine = ++seq;
    try {
      const value = await load();
      if (mine === seq) onDone(value);
    } catch (error) {
      if (mine === seq) onFailed(error);
    }
  };
}

/** The failure a load ended with, noted (an expired session signs out). */
export function noteLoadFailure({ noteFailure }: Pick<SliceContext, 'noteFailure'>, error: unknown): DeskFailure {
  const failure = failureOf(error);
  noteFailure(failure);
  return failure;
}
