// Platforms repeat events (retries, reconnects, several subscriptions) and deliver them out of
// order (EventBridge promises no order). A call moves offered → answered → ended and never back, so
// an event that does not move its call forward is dropped. Memory is bounded: at most `maxCalls`
// calls are remembered, an ended call only long enough to catch late repeats, a call still open
// only as long as a call can last.
import type { CtiCallEvent } from '../../../shared/contract/central-api';

type CallStage = CtiCallEvent['event'];
const ORDER: Record<CallStage, number> = { offered: 1, answered: 2, ended: 3 };

export type TrackVerdict =
  | { verdict: 'forward'; /** Puts the call back as it was (the event could not be published, so a retry must pass). */ revert(): void }
  | { verdict: 'duplicate' }
  | { verdict: 'out_of_order' };

export interface CallTrackerOptions {
  maxCalls?: number;
  /** How long an open call is remembered after its last event. */
  openTtlMs?: number;
  /** How long an ended call is remembered, to drop its late repeats. */
  endedTtlMs?: number;
  now?: () => number;
}

export interface CallTracker {
  /** Records `stage` for the call at `key` when it moves the call forward. */
  advance(key: string, stage: CallStage): TrackVerdict;
  /** Calls remembered right now. */
  size(): number;
}

interface Remembered {
  stage: CallStage;
  expiresAt: number;
}

export const DEFAULT_TRACKER_LIMITS = { maxCalls: 50_000, openTtlMs: 12 * 60 * 60 * 1000, endedTtlMs: 15 * 60 * 1000 } as const;

export function createCallTracker(options: CallTrackerOptions = {}): CallTracker {
  const { maxCalls, openTtlMs, endedTtlMs } = { ...DEFAULT_TRACKER_LIMITS, ...options };
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order and every touch re-inserts, so the stalest call comes first.
  const calls = new Map<string, Remembered>();

  const remember = (key: string, entry: Remembered | undefined) => {
    calls.delete(key);
    if (entry !== undefined) calls.set(key, entry);
  };
  const evict = (at: number) => {
    for (const [key, entry] of calls) {
      if (calls.size <= maxCalls && entry.expiresAt > at) break;
      calls.delete(key);
    }
  };

  return {
    size: () => calls.size,
    advance(key, stage) {
      const at = now();
      const previous = calls.get(key);
      const current = previous !== undefined && previous.expiresAt > at ? previous : undefined;
      if (current !== undefined && ORDER[stage] === ORDER[current.stage]) return { verdict: 'duplicate' };
      if (current !== undefined && ORDER[stage] < ORDER[current.stage]) return { verdict: 'out_of_order' };
      const entry = { stage, expiresAt: at + (stage === 'ended' ? endedTtlMs : openTtlMs) };
      remember(key, entry);
      evict(at);
      return {
        verdict: 'forward',
        revert: () => {
          if (calls.get(key) === entry) remember(key, current);
        },
      };
    },
  };
}
