// Runs an async task at most once at a time. A call made while a run is in flight does not
// start a second one; it waits for one more run after the current one, so work that arrived
// meanwhile (an outcome recorded mid-upload) is never missed, and any number of such calls
// share that single follow-up run.

export interface SingleFlight {
  run(): Promise<void>;
  /** Resolves when nothing is running or queued. */
  idle(): Promise<void>;
}

export function singleFlight(task: () => Promise<void>): SingleFlight {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;

  const start = (): Promise<void> => {
    // Tasks report their own failures (the sync engine puts them in its status); a throw that
    // escapes anyway must not wedge later runs.
    running = task()
      .catch(() => undefined)
      .finally(() => {
        running = null;
      });
    return running;
  };

  return {
    run() {
      if (running === null) return start();
      queued ??= running.then(() => {
        queued = null;
        return start();
      });
      return queued;
    },
    async idle() {
      while (running !== null || queued !== null) await (queued ?? running);
    },
  };
}
