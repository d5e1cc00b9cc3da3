// Batch scoring of the whole book (`clm score`), streamed page by page so a book of millions
// never sits in memory: pass 1 estimates churn for everyone and fits the book calibration
// (RFM quintiles, CLV tiers); pass 2 assesses each page and writes only the scores that
// changed, so desks download a small delta rather than the whole book every night.
import type { Customer, CustomerScore } from '../../shared/contract/entities';
import { Customer as CustomerSchema } from '../../shared/contract/entities';
import { DEFAULT_LIFECYCLE_CONFIG, type LifecycleConfig } from '../../shared/analytics/lifecycle/lifecycle-config';
import type { ModelArtifact } from '../../shared/analytics/model-artifact';
import { assessPage, bookValueInputs, estimateChurn, withSignals } from '../../shared/analytics/score-book';
import { fitBookCalibration, type BookCalibration, type ValueInputs } from '../../shared/analytics/value/book-calibration';
import { DEFAULT_VALUE_CONFIG, type ValueConfig } from '../../shared/analytics/value/value-config';
import type { SqlClient } from '../db/sql-client';
import { upsertScores } from '../sync/change-log';
import { CUSTOMER_WITH_USAGE_SQL, USAGE_WINDOW_JOIN } from '../sync/usage-windows';
import { publishScoringBundle } from './scoring-bundle-store';
import { trainBookChurnModel, MAX_TRAINING_ROWS } from './book-churn-model';

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
  onProgress?: (message: string) => void;
}

export interface RescoreReport {
  modelId: string;
  customers: number;
  written: number;
  unchanged: number;
  calibration: BookCalibration;
  /** The scoring bundle desks re-score with, as published by this run. */
  bundleVersion: number;
  seconds: number;
}

export async function* customerPages(db: SqlClient, pageSize: number): AsyncGenerator<Customer[]> {
  for (let after = ''; ;) {
    const rows = await db.query<{ id: string; data: unknown }>(
      `SELECT c.id, ${CUSTOMER_WITH_USAGE_SQL} AS data FROM customers c ${USAGE_WINDOW_JOIN} WHERE NOT c.deleted AND c.id > $1 ORDER BY c.id LIMIT $2`,
      [after, pageSize],
    );
    if (rows.length === 0) return;
    yield rows.map((row) => CustomerSchema.parse(row.data));
    after = rows.at(-1)!.id;
  }
}

async function trainingSample(db: SqlClient): Promise<Customer[]> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers WHERE NOT deleted');
  const stride = Math.max(1, Math.ceil((row?.n ?? 0) / MAX_TRAINING_ROWS));
  const sample: Customer[] = [];
  let index = 0;
  for await (const page of customerPages(db, SCORING_PAGE_SIZE)) for (const customer of page) if (index++ % stride === 0) sample.push(customer);
  return sample;
}

/** What a score says, without when it was computed: equal material means nothing to send. */
const material = ({ version: _version, scoredAt: _scoredAt, ...rest }: CustomerScore) => JSON.stringify(rest, Object.keys(rest).sort());

async function changedScores(db: SqlClient, scores: readonly CustomerScore[]): Promise<CustomerScore[]> {
  const existing = await db.query<{ customer_id: string; data: CustomerScore }>(
    'SELECT customer_id, data FROM scores WHERE NOT deleted AND customer_id = ANY($1)',
    [scores.map((s) => s.customerId)],
  );
  const previous = new Map(existing.map((row) => [row.customer_id, material(row.data)]));
  return scores.filter((score) => previous.get(score.customerId) !== material(score));
}

export async function rescoreBook(db: SqlClient, options: RescoreOptions = {}): Promise<RescoreReport> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const progress = options.onProgress ?? (() => undefined);
  const sample = options.model ? [] : await trainingSample(db);
  if (!options.model && sample.length === 0) throw new EmptyBookError();
  const model = options.model ?? trainBookChurnModel(sample, now);
  const settings = { model, lifecycle: options.lifecycle ?? DEFAULT_LIFECYCLE_CONFIG, value: options.value ?? DEFAULT_VALUE_CONFIG };
  progress(`model ${model.modelId} (validation AUC ${model.validation.metrics.auc.toFixed(3)})`);

  const activeInputs: ValueInputs[] = [];
  let customers = 0;
  for await (const page of customerPages(db, SCORING_PAGE_SIZE)) {
    const items = withSignals(page, now);
    const churn = estimateChurn(model, items, false);
    bookValueInputs(items, churn, settings.value).forEach((inputs, i) => {
      if (items[i]?.customer.status === 'active') activeInputs.push(inputs);
    });
    customers += page.length;
  }
  const calibration = fitBookCalibration(activeInputs, settings.value);
  progress(`pass 1: ${customers} customers estimated, calibration fitted on ${activeInputs.length} active customers`);

  let written = 0;
  for await (const page of customerPages(db, SCORING_PAGE_SIZE)) {
    const items = withSignals(page, now);
    const scores = assessPage(items, estimateChurn(model, items), settings, calibration, now.toISOString());
    const changed = await changedScores(db, scores);
    if (changed.length > 0) await db.transaction((tx) => upsertScores(tx, changed));
    written += changed.length;
  }
  progress(`pass 2: ${written} scores changed and published`);
  const bundle = await db.transaction((tx) => publishScoringBundle(tx, { ...settings, calibration }));
  progress(`scoring bundle version ${bundle.version}${bundle.changed ? ' published' : ' unchanged'}`);
  return {
    modelId: model.modelId,
    customers,
    written,
    unchanged: customers - written,
    calibration,
    bundleVersion: bundle.version,
    seconds: (performance.now() - started) / 1000,
  };
}
