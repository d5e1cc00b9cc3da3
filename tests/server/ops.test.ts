// What a load balancer and a monitoring system read off an instance: liveness, readiness (the
// database answers, at this build's migration level) and Prometheus metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralApi } from '../../server/app';
import { MIGRATIONS } from '../../server/db/migrations';
import type { SqlClient } from '../../server/db/sql-client';
import { ReadinessResponse } from '../../server/ops/health-routes';
import { openEmptyPglite, type TestPglite } from '../support/test-pglite';
import { bearer, login, outcomeItem, startTestApi, TEST_CTI_KEY } from './support/test-api';

const LATEST = MIGRATIONS.at(-1)!.version;

describe('liveness and readiness', () => {
  let database: TestPglite;
  const failing = { on: false };
  let api: CentralApi;
  beforeAll(async () => {
    database = await openEmptyPglite();
    // The same database, with a switch that makes every query fail as a lost connection would.
    const flaky: SqlClient = {
      ...database.db,
      query: (sql, params) => (failing.on ? Promise.reject(new Error('connection terminated')) : database.db.query(sql, params)),
    };
    api = await startTestApi({ db: { client: flaky, driver: 'pglite' }, seedCustomers: 0, instanceId: 'api-test-1' });
  });
  afterAll(async () => {
    await api?.close();
    await database?.dispose();
  });
  const ready = async () => {
    const response = await api.app.inject({ method: 'GET', url: '/health/ready' });
    return { status: response.statusCode, body: ReadinessResponse.parse(response.json()) };
  };

  it('is live and ready at this build’s migration level', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ ok: true });
    expect(await ready()).toEqual({ status: 200, body: { ok: true, database: 'ok', migration: LATEST, expectedMigration: LATEST, instance: 'api-test-1' } });
  });

  it('is not ready (503) while the database does not answer, and stays live', async () => {
    failing.on = true;
    try {
      expect(await ready()).toEqual({
        status: 503,
        body: { ok: false, database: 'unreachable', migration: null, expectedMigration: LATEST, instance: 'api-test-1' },
      });
      expect((await api.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    } finally {
      failing.on = false;
    }
    expect((await ready()).status).toBe(200);
  });

  it('is not ready at another migration level', async () => {
    await database.db.query('DELETE FROM schema_migrations WHERE version = $1', [LATEST]);
    try {
      expect(await ready()).toMatchObject({ status: 503, body: { ok: false, database: 'ok', migration: LATEST - 1 } });
    } finally {
      await database.db.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, 'restored by the test')`, [LATEST]);
    }
  });
});

describe('GET /metrics', () => {
  let api: CentralApi;
  beforeAll(async () => {
    api = await startTestApi({ seedCustomers: 10, instanceId: 'api-test-2' });
  });
  afterAll(() => api?.close());

  it('counts requests by route pattern, outcome batches and CTI pushes, and reports the change head and connected desks', async () => {
    const token = await login(api.app, 'agent01');
    await api.app.inject({ method: 'GET', url: '/sync/changes?after=0&limit=5', headers: bearer(token) });
    await api.app.inject({
      method: 'POST',
      url: '/outcomes/batch',
      headers: bearer(token),
      payload: { deviceId: 'metrics', items: [outcomeItem('metrics', 1)] },
    });
    await api.app.inject({
      method: 'POST',
      url: '/cti/calls',
      headers: { 'x-cti-key': TEST_CTI_KEY },
      payload: { callId: 'metrics-1', ani: '13800000001', agentId: 'agent01', event: 'offered' },
    });

    const response = await api.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    expect(text).toMatch(/clm_http_request_duration_seconds_count\{method="GET",route="\/sync\/changes",status_code="200"\} 1\n/);
    expect(text).toMatch(/clm_outcome_batches_total\{status_code="200"\} 1\n/);
    expect(text).toMatch(/clm_cti_pushes_total\{status_code="20\d"\} 1\n/);
    expect(text).toMatch(/clm_cti_push_duration_seconds_count 1\n/);
    expect(text).toMatch(/clm_connected_desks 0\n/);
    expect(text).toMatch(/clm_instance_info\{instance_id="api-test-2"\} 1\n/);
    expect(Number(/clm_change_log_head_seq (\d+)/.exec(text)?.[1])).toBeGreaterThan(0);
    expect(text).toContain('clm_api_process_resident_memory_bytes');
    // Route patterns, never values: no query string, and no phone number anywhere.
    expect(text).not.toContain('after=0');
    expect(text).not.toContain('13800000001');
  });
});
