// The desk's health report (POST /desks/health): once an interval, its outbox depth, seconds since
// its last download and the 95th percentile of its screen pops (card look-ups), so IT sees a bad
// desk on the team dashboards before its agent calls. Best effort by design: a report that fails
// is dropped, never queued or retried (the next interval's figures replace it), and it runs on its
// own timer, apart from the uploads, so it can never hold back an outcome.
import type { DeskOperation, SyncStatus } from '../shared/contract/desk-api';
import { DESK_HEALTH_INTERVAL_MAX_SECONDS, type DeskHealthReport } from '../shared/contract/desk-health';

export const DEFAULT_HEALTH_REPORT_INTERVAL_MS = 60_000;
/** The look-up the renderer makes when a call rings or a number is typed: what an agent waits for. */
const SCREEN_POP_OPERATIONS: ReadonlySet<DeskOperation> = new Set(['card/byPhone']);
/** Timings kept per interval; a desk opening more cards than this reports on the first ones. */
const SCREEN_POPS_KEPT = 10_000;

export interface ScreenPopTimes {
  /** Fits handler-timing's `timed` observer: keeps the durations of the screen-pop operations. */
  observe(operation: DeskOperation, elapsedMs: number): void;
  /** The interval's p95 (nearest rank, seconds) and count, and starts the next interval. */
  takeInterval(): { p95Seconds: number | null; count: number };
}

export function createScreenPopTimes(): ScreenPopTimes {
  let durationsMs: number[] = [];
  return {
    observe(operation, elapsedMs) {
      if (SCREEN_POP_OPERATIONS.has(operation) && durationsMs.length < SCREEN_POPS_KEPT) durationsMs.push(elapsedMs);
    },
    takeInterval() {
      const sorted = durationsMs.sort((a, b) => a - b);
      durationsMs = [];
      const p95Ms = sorted[Math.ceil(0.95 * sorted.length) - 1];
      return { p95Seconds: p95Ms === undefined ? null : p95Ms / 1000, count: sorted.length };
    },
  };
}

/** A signed-in session: where its report goes and its sync engine's status. */
export interface ReportingSession {
  send(report: DeskHealthReport): Promise<void>;
  /** The outbox counts and the last successful download. */
  syncStatus(): SyncStatus;
}

export interface DeskHealthReporterOptions {
  /** The session to report for; a desk nobody is signed in to reports nothing. */
  session(): ReportingSession | null;
  screenPops: ScreenPopTimes;
  /** The domain clock lastSyncAt was written with. */
  now: () => Date;
  intervalMs?: number;
  warn(message: string): void;
}

export interface DeskHealthReporter {
  /** Sends this interval's report unless one is still on its way (then this interval's is dropped). */
  report(): Promise<void>;
  stop(): void;
}

export function startDeskHealthReports(options: DeskHealthReporterOptions): DeskHealthReporter {
  const intervalMs = options.intervalMs ?? DEFAULT_HEALTH_REPORT_INTERVAL_MS;
  const intervalSeconds = Math.min(DESK_HEALTH_INTERVAL_MAX_SECONDS, Math.max(1, Math.round(intervalMs / 1000)));
  let inFlight = false;
  let failing = false;

  function figures(session: ReportingSession): DeskHealthReport {
    const status = session.syncStatus();
    const screenPops = options.screenPops.takeInterval();
    const lastSyncMs = status.lastSyncAt === null ? null : Date.parse(status.lastSyncAt);
    return {
      intervalSeconds,
      outboxPending: status.outboxPending,
      outboxDead: status.outboxDead,
      syncLagSeconds: lastSyncMs === null ? null : Math.max(0, (options.now().getTime() - lastSyncMs) / 1000),
      screenPopP95Seconds: screenPops.p95Seconds,
      screenPops: screenPops.count,
    };
  }

  async function report(): Promise<void> {
    if (inFlight) return;
    const session = options.session();
    if (session === null) {
      options.screenPops.takeInterval(); // a session's timings are not reported by the next one
      return;
    }
    inFlight = true;
    try {
      await session.send(figures(session));
      failing = false;
    } catch (error) {
      // Once per outage: an offline desk would otherwise log a line every interval.
      if (!failing) options.warn(`desk health report not sent (${error instanceof Error ? error.message : String(error)}); the next interval reports afresh`);
      failing = true;
    } finally {
      inFlight = false;
    }
  }

  const timer = setInterval(() => void report(), intervalMs);
  timer.unref();
  return { report, stop: () => clearInterval(timer) };
}
