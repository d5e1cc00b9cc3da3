// The scoring bundle the desk re-scores with: one row in the cache (validated by the ScoringBundle
// schema before it is stored), parsed once and held in memory until a newer one replaces it.
import { CURRENT_SCORING_BUNDLE_ID, type ScoringBundle } from '../../shared/analytics/scoring-bundle';
import type { CacheDb } from './open-cache';

export interface ScoringBundleCache {
  current(): ScoringBundle | null;
  /** The cached version (sent as If-None-Match), or null before the first bundle arrives. */
  version(): number | null;
  /** Stores a bundle the caller has validated with the ScoringBundle schema. */
  replace(bundle: ScoringBundle): void;
}

export function createScoringBundleCache(db: CacheDb): ScoringBundleCache {
  const read = db.prepare<[string], string>('SELECT data FROM scoring_bundle WHERE id = ?').pluck();
  const readVersion = db.prepare<[string], number>('SELECT version FROM scoring_bundle WHERE id = ?').pluck();
  const upsert = db.prepare<[string, number, string]>(
    'INSERT INTO scoring_bundle (id, version, data) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version, data = excluded.data',
  );
  // undefined: not read yet; null: nothing cached.
  let parsed: ScoringBundle | null | undefined;

  return {
    current() {
      if (parsed === undefined) {
        const json = read.get(CURRENT_SCORING_BUNDLE_ID);
        // Validated before it was stored, so plain JSON.parse (a model is too big to re-check per start).
        parsed = json === undefined ? null : (JSON.parse(json) as ScoringBundle);
      }
      return parsed;
    },
    version: () => readVersion.get(CURRENT_SCORING_BUNDLE_ID) ?? null,
    replace(bundle) {
      upsert.run(bundle.id, bundle.version, JSON.stringify(bundle));
      parsed = bundle;
    },
  };
}
