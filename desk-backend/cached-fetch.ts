// Questions only the central API can answer (reports, the outbound queue): ask it, keep the
// answer, and when it cannot be reached show the last answer marked with when it was fetched.
import type { AnswerCache } from '../db/cache/answer-cache';
import { DeskError, toDeskFailure } from './desk-failure';

export interface MaybeCached<T> {
  value: T;
  /** Null for a fresh answer; when the cached one was fetched otherwise. */
  cachedAt: string | null;
}

export async function fetchOrCached<T>(cache: AnswerCache<T>, key: string, now: () => Date, fetch: () => Promise<T>): Promise<MaybeCached<T>> {
  let value: T;
  try {
    value = await fetch();
  } catch (error) {
    // Only "unreachable" falls back: a refusal (forbidden, bad request) must reach the user as such.
    if (toDeskFailure(error).code !== 'offline') throw error;
    const cached = cache.get(key);
    if (cached === null) throw new DeskError('offline', 'the central API is unreachable and this has not been fetched before on this desk');
    return cached;
  }
  cache.put(key, value, now());
  return { value, cachedAt: null };
}
