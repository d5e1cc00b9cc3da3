// An install upgraded from before the model registry has a published scoring model and an empty
// registry: without a champion the models page has nothing to show until the next `clm score`.
// At API start that model is registered as champion, its drift baseline counted in today's active
// book (as `clm model register --published` would). Idempotent and safe with two instances
// starting at once: the one whose insert loses finds the model already registered.
import { summariseTraining } from '../../shared/analytics/monitoring/training-summary';
import { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import type { ModelVersionSummary } from '../../shared/contract/model-registry';
import type { SqlClient } from '../db/sql-client';
import { readScoringBundleJson } from '../scoring/scoring-bundle-store';
import { activeBookFeatureRows } from './book-distributions';
import { ModelRegistryError, registerModel } from './model-registry';

export const PUBLISHED_CHAMPION_REGISTRAR = 'api start (model published before the registry)';

/** Registers the published model as champion when the registry is empty; null when there was nothing to do. */
export async function registerPublishedChampion(db: SqlClient, now: Date): Promise<ModelVersionSummary | null> {
  if ((await db.query('SELECT 1 FROM model_versions LIMIT 1')).length > 0) return null;
  const stored = await readScoringBundleJson(db);
  if (stored === null) return null;
  const artifact = ScoringBundle.parse(JSON.parse(stored.json)).model;
  const summary = summariseTraining(artifact, await activeBookFeatureRows(db, now), 'book_at_registration');
  try {
    return await registerModel(db, { artifact, summary, by: PUBLISHED_CHAMPION_REGISTRAR, now, status: 'champion' });
  } catch (error) {
    // Another instance registered it (or a champion) between our look and our insert.
    if (error instanceof ModelRegistryError && error.code === 'already_registered') return null;
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** The one-champion index refused the insert: another champion arrived first. */
const isUniqueViolation = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
