// Feature drift of the champion (population stability index per feature, training data against
// the active book), measured when the book is scored (the seed, `clm score`) and when `clm model
// shadow` runs, and stored with the time it was measured: the models report reads the latest
// figures instead of passing over the whole book on every request.
import { z } from 'zod';
import type { FeatureDistribution } from '../../shared/analytics/monitoring/feature-distribution';
import { featureDrift } from '../../shared/analytics/monitoring/population-stability';
import { operatorDateDaysBefore } from '../../shared/domain/operator-time';
import type { SqlClient } from '../db/sql-client';
import { bookDistributions, type BookDistributions } from './book-distributions';
import { readModelVersion } from './model-registry';

const FeaturePsi = z.array(z.object({ feature: z.string(), psi: z.number() }));

export interface StoredDrift {
  modelId: string;
  computedAt: string;
  /** Active customers the book's distributions were counted on. */
  customers: number;
  psi: z.infer<typeof FeaturePsi>;
}

/** Stores the drift of `book` from the model's training distributions; an empty book has none to store. */
export async function storeBookDrift(
  db: SqlClient,
  modelId: string,
  training: readonly FeatureDistribution[],
  book: BookDistributions,
  now: Date,
): Promise<StoredDrift | null> {
  if (book.customers === 0) return null;
  // The threshold flags at reading time (the report's query may set its own); only the PSI is stored.
  const psi = featureDrift(training, book.distributions).map(({ feature, psi }) => ({ feature, psi }));
  await db.query('INSERT INTO model_drift (model_id, computed_at, customers, psi) VALUES ($1, $2, $3, $4::jsonb)', [
    modelId,
    now.toISOString(),
    book.customers,
    JSON.stringify(psi),
  ]);
  return { modelId, computedAt: now.toISOString(), customers: book.customers, psi };
}

/**
 * Counts today's active book in the champion's training bins (one pass) and stores the drift; null
 * without a champion. With `oncePerDay`, a drift already measured on the operator's day of `now`
 * (by the day's `clm score`) is returned instead of passing over the book again.
 */
export async function measureChampionDrift(db: SqlClient, now: Date, { oncePerDay = false } = {}): Promise<StoredDrift | null> {
  const [champion] = await db.query<{ model_id: string }>(`SELECT model_id FROM model_versions WHERE status = 'champion'`);
  if (champion === undefined) return null;
  if (oncePerDay) {
    const latest = await latestBookDrift(db, champion.model_id);
    if (latest !== null && operatorDateDaysBefore(new Date(latest.computedAt)) === operatorDateDaysBefore(now)) return latest;
  }
  const { summary } = await readModelVersion(db, champion.model_id);
  return storeBookDrift(db, champion.model_id, summary.distributions, await bookDistributions(db, summary.distributions, now), now);
}

/** The model's latest stored drift, or null before it was first measured. */
export async function latestBookDrift(db: SqlClient, modelId: string): Promise<StoredDrift | null> {
  const [row] = await db.query<{ computed_at: Date | string; customers: number; psi: unknown }>(
    'SELECT computed_at, customers, psi FROM model_drift WHERE model_id = $1 ORDER BY computed_at DESC, id DESC LIMIT 1',
    [modelId],
  );
  return row === undefined ? null : { modelId, computedAt: new Date(row.computed_at).toISOString(), customers: row.customers, psi: FeaturePsi.parse(row.psi) };
}
