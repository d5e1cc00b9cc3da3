// The model registry and the models report on a small seeded book: promote and roll back publish
// the right model in the scoring bundle, supervisors read but may not change, the shadow pass keeps
// a challenger's scores off the cards, and the report finds realised churn and a drifted feature.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rocAuc } from '../../shared/analytics/metrics';
import { warningLevelFor } from '../../shared/analytics/models/warning-thresholds';
import { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import type { WarningLevel } from '../../shared/contract/entities';
import { ModelChangeResponse, ModelMonitoringReport, ModelVersionList } from '../../shared/contract/model-registry';
import type { CentralApi } from '../../server/app';
import { championAndChallenger, readModelVersion, registerModel } from '../../server/models/model-registry';
import { measureChampionDrift } from '../../server/models/book-drift';
import { recordPredictions } from '../../server/models/record-predictions';
import { TEST_NOW } from '../support/test-clock';
import { bearer, expectApiError, login, startTestApi } from './support/test-api';

async function registerCopyOfChampion(api: CentralApi, modelId: string): Promise<void> {
  const { champion } = await championAndChallenger(api.db);
  const { artifact, summary } = await readModelVersion(api.db, champion!.modelId);
  await registerModel(api.db, { artifact: { ...artifact, modelId }, summary, by: 'test', now: TEST_NOW });
}

describe('model registry', () => {
  let api: CentralApi;
  let admin: string;
  let supervisor: string;
  let seedChampion: string;
  const bundle = async () => ScoringBundle.parse((await api.app.inject({ method: 'GET', url: '/scoring/bundle', headers: bearer(admin) })).json());
  const post = (url: string, token: string, payload: object) => api.app.inject({ method: 'POST', url, headers: bearer(token), payload });

  beforeAll(async () => {
    api = await startTestApi();
    admin = await login(api.app, 'admin01');
    supervisor = await login(api.app, 'sup01');
    seedChampion = (await bundle()).model.modelId;
  });
  afterAll(() => api?.close());

  it('starts with the model the seed scored the book with as champion, with its training summary', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/models', headers: bearer(supervisor) });
    expect(response.statusCode, response.body).toBe(200);
    const [version] = ModelVersionList.parse(response.json()).versions;
    expect(version).toMatchObject({ modelId: seedChampion, status: 'champion', algo: 'gbdt', registeredBy: 'seed' });
    expect(version!.features).toContain('complaints_30d');
    expect(version!.trainingChurnRate).toBeGreaterThan(0);
    expect(version!.metrics.auc).toBeGreaterThan(0.5);
  });

  it('refuses to register a version twice under one id', async () => {
    await registerCopyOfChampion(api, 'challenger-1');
    await expect(registerCopyOfChampion(api, 'challenger-1')).rejects.toThrow(/already registered/);
  });

  it('lets an administrator promote a challenger, which publishes it in the scoring bundle; a supervisor may not', async () => {
    const before = await bundle();
    expectApiError(await post('/models/promote', supervisor, { modelId: 'challenger-1' }), 403);
    expectApiError(await post('/models/promote', admin, { modelId: 'no-such-model' }), 404);

    const response = await post('/models/promote', admin, { modelId: 'challenger-1' });
    expect(response.statusCode, response.body).toBe(200);
    expect(ModelChangeResponse.parse(response.json())).toEqual({ champion: 'challenger-1', replaced: seedChampion, bundleVersion: before.version + 1 });
    const after = await bundle();
    expect(after).toMatchObject({ version: before.version + 1, lifecycle: before.lifecycle, value: before.value, calibration: before.calibration });
    expect(after.model.modelId).toBe('challenger-1');
    const statuses = Object.fromEntries(
      (await championAndChallenger(api.db).then(() => api.db.query<{ model_id: string; status: string }>('SELECT model_id, status FROM model_versions'))).map(
        (r) => [r.model_id, r.status],
      ),
    );
    expect(statuses).toEqual({ [seedChampion]: 'retired', 'challenger-1': 'champion' });
    expectApiError(await post('/models/promote', admin, { modelId: 'challenger-1' }), 409);
  });

  it('rolls back through the promotions, re-publishing each earlier champion, and says when there is none left', async () => {
    await registerCopyOfChampion(api, 'challenger-2');
    expect((await post('/models/promote', admin, { modelId: 'challenger-2' })).statusCode).toBe(200);
    expectApiError(await post('/models/rollback', supervisor, {}), 403);

    const first = ModelChangeResponse.parse((await post('/models/rollback', admin, {})).json());
    expect(first).toMatchObject({ champion: 'challenger-1', replaced: 'challenger-2' });
    expect((await bundle()).model.modelId).toBe('challenger-1');
    const second = ModelChangeResponse.parse((await post('/models/rollback', admin, {})).json());
    expect(second).toMatchObject({ champion: seedChampion, replaced: 'challenger-1', bundleVersion: first.bundleVersion + 1 });
    expect((await bundle()).model.modelId).toBe(seedChampion);
    expect(expectApiError(await post('/models/rollback', admin, {}), 409).error).toBe('no_earlier_champion');
    const history = await api.db.query<{ action: string; model_id: string; changed_by: string }>(
      'SELECT action, model_id, changed_by FROM model_champion_changes ORDER BY id',
    );
    expect(history.map((h) => `${h.action} ${h.model_id} by ${h.changed_by}`)).toEqual([
      'promote challenger-1 by admin01',
      'promote challenger-2 by admin01',
      'rollback challenger-1 by admin01',
      `rollback ${seedChampion} by admin01`,
    ]);
  });
});

describe('models report', () => {
  let api: CentralApi;
  let supervisor: string;
  const report = async (query = '') => {
    const response = await api.app.inject({ method: 'GET', url: `/reports/models${query}`, headers: bearer(supervisor) });
    expect(response.statusCode, response.body).toBe(200);
    return ModelMonitoringReport.parse(response.json());
  };

  beforeAll(async () => {
    api = await startTestApi();
    supervisor = await login(api.app, 'sup01');
  });
  afterAll(() => api?.close());

  it('says there is no realised churn yet before any prediction was kept', async () => {
    const fresh = await report();
    expect(fresh.champion?.status).toBe('champion');
    expect(fresh.months).toEqual([]);
    expect(fresh.warningPrecision).toEqual([]);
    expect(fresh.shadow).toBeNull();
    expect(fresh.driftThreshold).toBe(0.2);
    expect(fresh.driftCustomers).toBeGreaterThan(100);
    // Measured by the seed as it scored the book, not by the request.
    expect(fresh.driftComputedAt).toBe(TEST_NOW.toISOString());
  });

  it('flags the feature whose distribution moved, and only it', async () => {
    const before = await report();
    await api.db.query(`UPDATE customers SET data = jsonb_set(data, '{complaints30d}', '4') WHERE data->>'status' = 'active'`);
    // The report shows the drift stored when the book was last scored: a request does not pass over the book.
    expect((await report()).drift).toEqual(before.drift);
    const measuredAt = new Date(TEST_NOW.getTime() + 60_000);
    await measureChampionDrift(api.db, measuredAt);
    const after = await report();
    expect(after.driftComputedAt).toBe(measuredAt.toISOString());
    const psi = (r: ModelMonitoringReport, feature: string) => r.drift.find((d) => d.feature === feature)!;
    expect(psi(before, 'complaints_30d').flagged).toBe(false);
    expect(psi(after, 'complaints_30d')).toMatchObject({ flagged: true });
    expect(psi(after, 'complaints_30d').psi).toBeGreaterThan(2);
    for (const row of after.drift.filter((d) => d.feature !== 'complaints_30d')) expect(row.psi).toBe(psi(before, row.feature).psi);
    // The threshold is the caller's to set.
    const lenient = await report('?driftThreshold=10');
    expect(lenient.driftThreshold).toBe(10);
    expect(lenient.drift.map((d) => d.flagged)).toEqual(after.drift.map((d) => d.psi > 10));
  });

  it('keeps champion and shadow scores apart from the cards, and measures both on realised churn', async () => {
    await api.db.query(`UPDATE customers SET data = jsonb_set(data, '{complaints30d}', '0') WHERE data->>'status' = 'active'`);
    const { champion } = await championAndChallenger(api.db);
    const { artifact, summary } = await readModelVersion(api.db, champion!.modelId);
    await registerModel(api.db, { artifact: { ...artifact, modelId: 'shadow-challenger' }, summary, by: 'test', now: TEST_NOW });
    const scoresBefore = await api.db.query('SELECT customer_id, version, data FROM scores ORDER BY customer_id');

    const scoredOn = new Date('2026-07-10T04:00:00Z');
    const kept = await recordPredictions(api.db, { now: scoredOn, challengerId: 'shadow-challenger', share: 0.5 });
    expect(kept.scoredOn).toBe('2026-07-10');
    expect(kept.driftMeasuredOn).toBeGreaterThan(0);
    expect(kept.shadow).toBeGreaterThan(60);
    expect(kept.shadow).toBeLessThan(kept.champion);
    // A second run on the same day adds nothing; the cards' scores are untouched.
    expect(await recordPredictions(api.db, { now: scoredOn, challengerId: 'shadow-challenger', share: 0.5 })).toMatchObject({ champion: 0, shadow: 0 });
    expect(await api.db.query('SELECT customer_id, version, data FROM scores ORDER BY customer_id')).toEqual(scoresBefore);

    // Every other shadow customer leaves within the horizon (30 days after the score), one more 120 days after (outside it).
    const shadowIds = (await api.db.query<{ customer_id: string }>(`SELECT customer_id FROM model_predictions WHERE role = 'shadow' ORDER BY customer_id`)).map(
      (r) => r.customer_id,
    );
    const leavers = shadowIds.filter((_, i) => i % 2 === 0);
    const lateLeaver = shadowIds[1]!;
    const leave = (ids: string[], date: string) =>
      api.db.query(`UPDATE customers SET data = data || jsonb_build_object('status', 'churned', 'churnDate', $2::text) WHERE id = ANY($1)`, [ids, date]);
    await leave(leavers, '2026-08-09');
    await leave([lateLeaver], '2026-11-07');

    const measured = await report();
    const [july] = measured.months;
    expect(july).toMatchObject({ month: '2026-07', customers: kept.champion, churned: leavers.length, windowClosed: true, enough: true });
    expect(july!.calibration).toHaveLength(10);
    expect(july!.calibration.reduce((sum, d) => sum + d.customers, 0)).toBe(kept.champion);

    // Each kept champion score read at the level its card showed, against the champion's training target.
    const championScores = await api.db.query<{ customer_id: string; probability: number }>(
      `SELECT customer_id, probability FROM model_predictions WHERE role = 'champion'`,
    );
    const atLevel = (level: WarningLevel) => championScores.filter((s) => warningLevelFor(artifact.thresholds, s.probability) === level);
    const [julyWarnings] = measured.warningPrecision;
    expect(julyWarnings).toMatchObject({ month: '2026-07', customers: kept.champion, churned: leavers.length });
    expect(julyWarnings!.levels.map((l) => [l.level, l.target, l.customers, l.churned])).toEqual(
      (['red', 'orange', 'yellow'] as const).map((level) => [
        level,
        artifact.thresholds.targets[level],
        atLevel(level).length,
        atLevel(level).filter((s) => leavers.includes(s.customer_id)).length,
      ]),
    );
    expect(julyWarnings!.levels.some((l) => l.customers > 0)).toBe(true);

    const pairs = await api.db.query<{ challenger: number; champion: number; customer_id: string }>(
      `SELECT s.probability AS challenger, c.probability AS champion, s.customer_id FROM model_predictions s
         JOIN model_predictions c ON c.role = 'champion' AND c.customer_id = s.customer_id WHERE s.role = 'shadow' ORDER BY s.customer_id`,
    );
    const labels = Uint8Array.from(pairs, (p) => (leavers.includes(p.customer_id) ? 1 : 0));
    expect(measured.shadow).toEqual({
      modelId: 'shadow-challenger',
      customers: shadowIds.length,
      churned: leavers.length,
      enough: true,
      championAuc: rocAuc(
        pairs.map((p) => p.champion),
        labels,
      ),
      challengerAuc: rocAuc(
        pairs.map((p) => p.challenger),
        labels,
      ),
    });
  });
});
