// Batch scoring of the whole book (`clm score`), streamed page by page so a book of millions
// never sits in memory: pass 1 estimates churn for everyone and fits the book calibration
// (RFM quintiles, CLV tiers); pass 2 assesses each page and writes only the scores that
// changed, so desks download a small delta rather than the whole book every night. The pages'
// assessment runs on worker threads when asked (scoring-threads.ts); this thread reads by keyset
// and writes each page's changes in one transaction.
import type { Customer, CustomerScore } from '../../shared/contract/entities';
import { Customer as CustomerSchema } from '../../shared/contract/entities';
import { DEFAULT_LIFECYCLE_CONFIG, type LifecycleConfig } from '../../shared/analytics/lifecycle/lifecycle-config';
import type { ModelArtifact } from '../../shared/analytics/model-artifact';
import { fitBookCalibration, type BookCalibration, type ValueInputs } from '../../shared/analytics/value/book-calibration';
import { DEFAULT_VALUE_CONFIG, type ValueConfig } from '../../shared/analytics/value/value-config';
import type { SqlClient } from '../db/sql-client';
import { upsertScores } from '../sync/change-log';
import { CUSTOMER_WITH_USAGE_SQL, USAGE_WINDOW_JOIN } from '../sync/usage-windows';
import type { CustomerRow } from './score-page-work';
import { createPageScorer } from './scoring-threads';
import { publishScoringBundle } from './scoring-bundle-store';
import { trainBookChurnModel, MAX_TRAINING_CUSTOMERS } from './book-churn-model';

export const SCORING_PAGE_SIZE = 5000;

export class EmptyBookError extends Error {
  override readonly name = 'EmptyBookError';
  constructor() {
    super('the customer book is empty: nothing to train on or score');
  }
}

export interface RescoreOptions {
  /** A model trained on the customer features; by default one is trained on the book's history. */
  model?: ModelArtifact;
  lifecycle?: LifecycleConfig;
  value?: ValueConfig;
  now?: Date;
  /** Worker threads assessing pages (0, the default: on the calling thread). */
  workers?: number;
  /** Customers per page: per worker task and per write transaction. */
  pageSize?: number;
  onProgress?: (message: string) => void;
}

export interface RescoreReport {
  modelId: string;
  /** The model the book was scored with (trained here when none was given). */
  model: ModelArtifact;
  customers: number;
  written: number;
  unchanged: number;
  calibration: BookCalibration;
  /** The scoring bundle desks re-score with, as published by this run. */
  bundleVersion: number;
  workers: number;
  seconds: number;
}

/** Which customers a pass reads: the whole book, or only the active ones (filtered in SQL, so leavers are never parsed). */
export interface BookFilter {
  activeOnly?: boolean;
}

const bookWhere = ({ activeOnly = false }: BookFilter) => `NOT c.deleted${activeOnly ? " AND c.status = 'active'" : ''}`;

export async function* customerPages(db: SqlClient, pageSize: number, filter: BookFilter = {}): AsyncGenerator<Customer[]> {
  for (let after = ''; ;) {
    const rows = await db.query<{ id: string; data: unknown }>(
      `SELECT c.id, ${CUSTOMER_WITH_USAGE_SQL} AS data FROM customers c ${USAGE_WINDOW_JOIN} WHERE ${bookWhere(filter)} AND c.id > $1 ORDER BY c.id LIMIT $2`,
      [after, pageSize],
    );
    if (rows.length === 0) return;
    yield rows.map((row) => CustomerSchema.parse(row.data));
    after = rows.at(-1)!.id;
  }
}

/**
 * An even sample of at most `maxRows` customers: every `stride`-th in id order, the first included.
 * Picked by the database, so a book of millions is not parsed here only to keep one in `stride`.
 */
export async function sampleCustomers(db: SqlClient, maxRows: number, filter: BookFilter = {}): Promise<Customer[]> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM customers c WHERE ${bookWhere(filter)}`);
  const stride = Math.max(1, Math.ceil((row?.n ?? 0) / maxRows));
  const rows = await db.query<{ data: unknown }>(
    `SELECT ${CUSTOMER_WITH_USAGE_SQL} AS data FROM (SELECT c.id, row_number() OVER (ORDER BY c.id) AS n FROM customers c WHERE ${bookWhere(filter)}) ranked
     JOIN customers c USING (id) ${USAGE_WINDOW_JOIN} WHERE (ranked.n - 1) % $1 = 0 ORDER BY c.id`,
    [stride],
  );
  return rows.map((r) => CustomerSchema.parse(r.data));
}

/** The book in id order (keyset pages), as JSON text for the page scorer to parse, each customer with its stored score. */
async function* customerRowPages(db: SqlClient, pageSize: number): AsyncGenerator<CustomerRow[]> {
  for (let after = ''; ;) {
    const rows = await db.query<{ id: string; customer: string; score: string | null }>(
      `SELECT c.id, (${CUSTOMER_WITH_USAGE_SQL})::text AS customer, s.data::text AS score FROM customers c
       LEFT JOIN scores s ON s.customer_id = c.id AND NOT s.deleted ${USAGE_WINDOW_JOIN}
       WHERE NOT c.deleted AND c.id > $1 ORDER BY c.id LIMIT $2`,
      [after, pageSize],
    );
    if (rows.length === 0) return;
    after = rows.at(-1)!.id;
    yield rows.map(({ customer, score }) => ({ customer, score }));
  }
}

/**
 * Sends each page to `work` as it is read, keeping up to `depth` in flight so the scorer's threads
 * are busy while this one reads and writes, and hands the results to `take` in page order.
 */
async function pipelinePages<P, R>(pages: AsyncIterable<P>, depth: number, work: (page: P) => Promise<R>, take: (result: R) => Promise<void>): Promise<void> {
  const inFlight: Promise<R>[] = [];
  try {
    for await (const page of pages) {
      const result = work(page);
      // Awaited in turn below; until then a failure must not count as unhandled.
      result.catch(() => undefined);
      inFlight.push(result);
      if (inFlight.length >= depth) await take(await (inFlight.shift() as Promise<R>));
    }
    while (inFlight.length > 0) await take(await (inFlight.shift() as Promise<R>));
  } finally {
    await Promise.allSettled(inFlight);
  }
}

/** One transaction per page: an interrupted run leaves whole pages written, and the next run writes the rest. */
async function writeChangedScores(db: SqlClient, changed: readonly CustomerScore[]): Promise<number> {
  if (changed.length === 0) return 0;
  return db.transaction(async (tx) => {
    // A customer erased while its page was being scored keeps its tombstone rather than getting its score back.
    const present = await tx.query<{ id: string }>('SELECT id FROM customers WHERE NOT deleted AND id = ANY($1)', [changed.map((s) => s.customerId)]);
    const live = new Set(present.map((r) => r.id));
    const written = await upsertScores(
      tx,
      changed.filter((score) => live.has(score.customerId)),
    );
    return written.length;
  });
}

export async function rescoreBook(db: SqlClient, options: RescoreOptions = {}): Promise<RescoreReport> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const pageSize = options.pageSize ?? SCORING_PAGE_SIZE;
  const progress = options.onProgress ?? (() => undefined);
  // What the book's own model is trained on: an even sample of everyone, leavers included.
  const sample = options.model ? [] : await sampleCustomers(db, MAX_TRAINING_CUSTOMERS);
  if (!options.model && sample.length === 0) throw new EmptyBookError();
  const model =
    options.model ??
    trainBookChurnModel(
      sample.map((customer) => ({ customer })),
      now,
    );
  const settings = { model, lifecycle: options.lifecycle ?? DEFAULT_LIFECYCLE_CONFIG, value: options.value ?? DEFAULT_VALUE_CONFIG };
  progress(`model ${model.modelId} (validation AUC ${model.validation.metrics.auc.toFixed(3)})`);

  const scorer = createPageScorer({ ...settings, now: now.toISOString() }, options.workers ?? 0);
  // A page waiting for each thread besides the ones being assessed, so no thread idles while this one reads or writes.
  const depth = 2 * Math.max(1, scorer.workers);
  let customers = 0;
  let written = 0;
  let calibration: BookCalibration;
  const since = (mark: number) => `${((performance.now() - mark) / 1000).toFixed(1)} s`;
  try {
    const pass1 = performance.now();
    const activeInputs: ValueInputs[] = [];
    await pipelinePages(
      customerRowPages(db, pageSize),
      depth,
      (page) => scorer.activeValueInputs(page.map((row) => row.customer)),
      async (inputs) => void activeInputs.push(...inputs),
    );
    calibration = fitBookCalibration(activeInputs, settings.value);
    progress(`pass 1: calibration fitted on ${activeInputs.length} active customers in ${since(pass1)} (${scorer.workers || 'no'} worker threads)`);

    const pass2 = performance.now();
    await pipelinePages(
      customerRowPages(db, pageSize),
      depth,
      async (page) => ({ page, changed: await scorer.changedScores(page, calibration) }),
      async ({ page, changed }) => {
        customers += page.length;
        written += await writeChangedScores(db, changed);
      },
    );
    progress(`pass 2: ${customers} customers assessed, ${written} scores changed and published in ${since(pass2)}`);
  } finally {
    await scorer.close();
  }
  const bundle = await db.transaction((tx) => publishScoringBundle(tx, { ...settings, calibration }, now));
  progress(`scoring bundle version ${bundle.version}${bundle.changed ? ' published' : ' unchanged'}`);
  return {
    modelId: model.modelId,
    model,
    customers,
    written,
    unchanged: customers - written,
    calibration,
    bundleVersion: bundle.version,
    workers: scorer.workers,
    seconds: (performance.now() - started) / 1000,
  };
}
