// Scale (issue 17 §2): a month close costs desks a small delta. On one seeded central API
// (CLM_BENCH_ROWS customers, as the other sync benchmarks): every customer gets a month of bills
// (the history, not timed), a desk downloads its scope (the whole book: a team without a scope),
// then the next month closes through `clm import usage`'s code and the same desk pulls the delta.
// Reported in the same run: the bytes and seconds the desk spends on the month close against
// re-downloading its scope into an empty cache. Bytes are the bodies the desk's sync requests
// received (uncompressed JSON), counted by the fetch the desk backend was given.
import { openDeskSession, type DeskSession } from './support/desk-session';
import { byteCountingFetch } from './support/fetch-probes';
import { measurement, okResult, type BenchResult } from './support/result';
import { createScratchDir } from './support/scratch-dir';
import { elapsedMs } from './support/stats';
import { isMainModule, progress, runStandalone } from './support/standalone';
import { withSyncServer, type SyncServer } from './support/sync-server';

const ID = 'month-close';
const TITLE = 'Scale: a month close costs desks a small delta';

/** YYYYMM of the month `back` months before the last one complete today (UTC). */
function closedMonth(today: Date, back: number): string {
  const month = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1 - back, 1));
  return `${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

const mb = (bytes: number) => bytes / 1_000_000;

export const runMonthCloseBench = (given?: SyncServer) => withSyncServer(given, monthClose);

async function monthClose(server: SyncServer): Promise<BenchResult> {
  const started = performance.now();
  const scratch = createScratchDir('month-close');
  const sessions: DeskSession[] = [];
  try {
    const today = new Date();
    const asOf = today.toISOString().slice(0, 10);
    const [history, closing] = [closedMonth(today, 1), closedMonth(today, 0)];
    progress(ID, `bills of ${history} for the whole book (history, not timed)`);
    const first = await server.api.call('importUsageMonth', { month: history, asOf, csvPath: scratch.file(`bills-${history}.csv`) });

    progress(ID, 'a desk downloads its scope (the whole book) into an empty cache');
    const counter = byteCountingFetch();
    const downloadStarted = performance.now();
    const cachePath = scratch.file('desk.sqlite');
    const desk = await openDeskSession({ cachePath, apiUrl: server.api.url, fetch: counter.fetch });
    sessions.push(desk);
    const downloaded = await desk.syncNow();
    const download = { seconds: elapsedMs(downloadStarted) / 1000, bytes: counter.bytes(), customers: downloaded.customersCached };
    // Closed over the month close (as a desk is overnight), so no "changes available" push makes it pull while the bills go in.
    await desk.close();
    sessions.pop();

    const seqBefore = await server.api.call('maxSeq', undefined);
    progress(ID, `month close: bills of ${closing} for ${first.rows.toLocaleString('en-US')} customers through clm import usage`);
    const close = await server.api.call('importUsageMonth', { month: closing, asOf, csvPath: scratch.file(`bills-${closing}.csv`) });
    const customerChanges = await server.api.call('countChangesAfter', { after: Number(seqBefore) });

    progress(ID, 'the same desk logs in again and pulls the month close');
    counter.reset();
    const deltaStarted = performance.now();
    const reopened = await openDeskSession({ cachePath, apiUrl: server.api.url, fetch: counter.fetch });
    sessions.push(reopened);
    const caughtUp = await reopened.syncNow();
    const delta = { seconds: elapsedMs(deltaStarted) / 1000, bytes: counter.bytes() };
    if (caughtUp.customersCached !== download.customers)
      throw new Error(`the desk holds ${caughtUp.customersCached} customers after the close, ${download.customers} before`);

    return okResult(ID, TITLE, started, {
      measurements: [
        measurement({
          metric: `month close for ${close.rows.toLocaleString('en-US')} customers: bytes a desk downloads`,
          value: mb(delta.bytes),
          unit: 'MB',
          baseline: { label: `re-downloading its scope (${download.customers.toLocaleString('en-US')} customers)`, value: mb(download.bytes), unit: 'MB' },
        }),
        measurement({
          metric: `month close for ${close.rows.toLocaleString('en-US')} customers: seconds a desk spends applying it (login to caught up)`,
          value: delta.seconds,
          unit: 's',
          baseline: { label: 're-downloading its scope into an empty cache', value: download.seconds, unit: 's' },
        }),
      ],
      notes: [
        server.description,
        `month close ${closing}: ${close.rows.toLocaleString('en-US')} bills imported by clm import usage's code in ${close.seconds.toFixed(1)} s (${Math.round(close.rows / close.seconds).toLocaleString('en-US')} rows/s; ${close.summary.inserted.toLocaleString('en-US')} inserted, ${close.summary.republished} customer documents re-published); change-log rows written to customers, scores and offers by it: ${customerChanges}. The history month ${history} (${first.rows.toLocaleString('en-US')} bills, ${first.seconds.toFixed(1)} s) was imported before the desk's download.`,
        `the desk's share: ${mb(delta.bytes).toFixed(1)} MB in ${delta.seconds.toFixed(1)} s for the month close (one usage row per customer, ${Math.round(delta.bytes / Math.max(1, close.rows))} bytes each with its change-feed envelope) against ${mb(download.bytes).toFixed(1)} MB in ${download.seconds.toFixed(1)} s to download its scope afresh (customers, scores, usage rows, offers): ${(download.bytes / Math.max(1, delta.bytes)).toFixed(1)}× the bytes, ${(download.seconds / Math.max(0.001, delta.seconds)).toFixed(1)}× the time. Bytes are the uncompressed JSON bodies of the desk's /sync/ requests; the desk's 10 s request timeout is lifted (shared machine).`,
      ],
    });
  } finally {
    for (const session of sessions) await session.close().catch(() => undefined);
    scratch.remove();
  }
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, () => runMonthCloseBench());
