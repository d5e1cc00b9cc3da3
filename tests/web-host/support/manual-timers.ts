// Timers the test moves by hand (user-desks.ts StartTimer): a countdown fires only when the test
// advances past it, so "an hour later" takes no time and no test depends on the machine's speed.
import type { StartTimer } from '../../../web-host/user-desks';

export interface ManualTimers {
  startTimer: StartTimer;
  /** Moves the clock on by `ms`, firing every countdown that ends by then, soonest first. */
  advance(ms: number): void;
  /** Countdowns started and neither fired nor cancelled. */
  running(): number;
}

export function manualTimers(): ManualTimers {
  let now = 0;
  const countdowns = new Set<{ endsAt: number; fire: () => void }>();
  return {
    startTimer(ms, fire) {
      const countdown = { endsAt: now + ms, fire };
      countdowns.add(countdown);
      return () => void countdowns.delete(countdown);
    },
    advance(ms) {
      now += ms;
      const due = [...countdowns].filter((c) => c.endsAt <= now).sort((a, b) => a.endsAt - b.endsAt);
      for (const countdown of due) if (countdowns.delete(countdown)) countdown.fire();
    },
    running: () => countdowns.size,
  };
}
