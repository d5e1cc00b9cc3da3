// The one published scoring bundle ('current'): written by every batch scoring path (seed,
// `clm score`), read by GET /scoring/bundle for the desks and by the customer-event fold. Each
// publication refits the retention programmes' uplift models that have enough data.
// A version names one content for good, so readers may cache by version.
import { z } from 'zod';
import { CURRENT_SCORING_BUNDLE_ID, ScoringBundle } from '../../shared/analytics/scoring-bundle';
import type { SqlClient } from '../db/sql-client';
import { programmeUpliftModels } from './programme-uplift-models';

const ScoringBundleParts = ScoringBundle.pick({ model: true, lifecycle: true, value: true, calibration: true, upliftModels: true });
export type ScoringBundleParts = z.input<typeof ScoringBundleParts>;

// jsonb equality is by value (key order and number spelling aside), so an unchanged bundle is left alone.
const PUBLISH = `INSERT INTO scoring_bundles (id, version, data, published_at) VALUES ($1, 1, $2::jsonb, now())
  ON CONFLICT (id) DO UPDATE SET version = scoring_bundles.version + 1, data = EXCLUDED.data, published_at = EXCLUDED.published_at
    WHERE scoring_bundles.data IS DISTINCT FROM EXCLUDED.data
  RETURNING version`;

export interface PublishedBundle {
  version: number;
  /** false when the stored bundle already had this content (nothing written). */
  changed: boolean;
}

/** Upserts the 'current' bundle: version 1 first, +1 whenever its content changes. `now` (the caller's clock) says which programme windows are over. */
export async function publishScoringBundle(tx: SqlClient, parts: ScoringBundleParts, now: Date): Promise<PublishedBundle> {
  // Validate on the way in: desks receive the stored document as it is.
  const upliftModels = await programmeUpliftModels(tx, now);
  const data = ScoringBundleParts.parse(upliftModels.length === 0 ? parts : { ...parts, upliftModels });
  const [written] = await tx.query<{ version: number }>(PUBLISH, [CURRENT_SCORING_BUNDLE_ID, JSON.stringify(data)]);
  if (written !== undefined) return { version: written.version, changed: true };
  const version = await currentBundleVersion(tx);
  if (version === null) throw new Error('scoring bundle vanished while being published');
  return { version, changed: false };
}

export async function currentBundleVersion(db: SqlClient): Promise<number | null> {
  const [row] = await db.query<{ version: number }>('SELECT version FROM scoring_bundles WHERE id = $1', [CURRENT_SCORING_BUNDLE_ID]);
  return row?.version ?? null;
}

/** The bundle as JSON text, validated when it was published; null before the book was first scored. */
export async function readScoringBundleJson(db: SqlClient): Promise<{ version: number; json: string } | null> {
  const [row] = await db.query<{ version: number; published_at: Date | string; data: ScoringBundleParts }>(
    'SELECT version, published_at, data FROM scoring_bundles WHERE id = $1',
    [CURRENT_SCORING_BUNDLE_ID],
  );
  if (row === undefined) return null;
  const bundle = { id: CURRENT_SCORING_BUNDLE_ID, version: row.version, ...row.data, publishedAt: new Date(row.published_at).toISOString() };
  return { version: row.version, json: JSON.stringify(bundle) };
}

/**
 * Reads the current bundle, parsing it again only when its version moved (a model parses in
 * tens of milliseconds; the version check is one indexed row). A caller that already read the
 * version in its own statement passes it as `knownVersion` (null: no bundle published) and
 * saves that round trip.
 */
export function createScoringBundleCache(): (db: SqlClient, knownVersion?: number | null) => Promise<ScoringBundle | null> {
  let cached: ScoringBundle | null = null;
  return async (db, knownVersion) => {
    const version = knownVersion === undefined ? await currentBundleVersion(db) : knownVersion;
    if (version === null) return null;
    if (cached?.version !== version) {
      const stored = await readScoringBundleJson(db);
      cached = stored === null ? null : ScoringBundle.parse(JSON.parse(stored.json));
    }
    return cached;
  };
}

/** The scoring bundle desks sync, as one shared createScoringBundleCache reads it: parsed again only when it changes. */
export type CurrentScoringBundle = ReturnType<typeof createScoringBundleCache>;
