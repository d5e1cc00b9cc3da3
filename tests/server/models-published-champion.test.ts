// An install upgraded from before the model registry (a published scoring model, an empty
// registry) gets that model as champion when the API starts, once, even with two starts at once;
// with no published model there is nothing to register.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralApi } from '../../server/app';
import { listModels } from '../../server/models/model-registry';
import { PUBLISHED_CHAMPION_REGISTRAR, registerPublishedChampion } from '../../server/models/published-champion';
import { readScoringBundleJson } from '../../server/scoring/scoring-bundle-store';
import { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import { TEST_NOW } from '../support/test-clock';
import { startTestApi } from './support/test-api';

let api: CentralApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const emptyRegistry = async () => {
  for (const table of ['model_drift', 'model_predictions', 'model_champion_changes', 'model_versions']) await api.db.query(`DELETE FROM ${table}`);
};

describe('the published model as champion at API start', () => {
  it('registers the published scoring model when the registry is empty, and only once', async () => {
    await emptyRegistry();
    const published = ScoringBundle.parse(JSON.parse((await readScoringBundleJson(api.db))!.json)).model.modelId;

    // A second API starting on the same database, as after an upgrade.
    const restarted = await startTestApi({ db: { client: api.db, driver: 'pglite' } });
    await restarted.close();
    const [champion, ...others] = await listModels(api.db);
    expect(others).toEqual([]);
    expect(champion).toMatchObject({ modelId: published, status: 'champion', registeredBy: PUBLISHED_CHAMPION_REGISTRAR });
    expect(champion!.trainingRows).toBeGreaterThan(0);

    expect(await registerPublishedChampion(api.db, TEST_NOW)).toBeNull();
    expect(await listModels(api.db)).toEqual([champion]);
  });

  it('registers it once when two instances start together', async () => {
    await emptyRegistry();
    const results = await Promise.all([registerPublishedChampion(api.db, TEST_NOW), registerPublishedChampion(api.db, TEST_NOW)]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect((await listModels(api.db)).map((v) => v.status)).toEqual(['champion']);
  });

  it('does nothing before the book was ever scored', async () => {
    await emptyRegistry();
    await api.db.query('DELETE FROM scoring_bundles');
    expect(await registerPublishedChampion(api.db, TEST_NOW)).toBeNull();
    expect(await listModels(api.db)).toEqual([]);
  });
});
