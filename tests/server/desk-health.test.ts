// POST /desks/health and the per-team desk metrics at GET /metrics: the desks of a team add up
// (outbox) or show their worst (sync lag, screen pop), a quiet desk drops out, and the metrics name
// teams only, never a user, a device or a customer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskHealthReport } from '../../shared/contract/desk-health';
import { ApiError } from '../../shared/contract/central-api';
import type { CentralApi } from '../../server/app';
import { createDeskHealthBoard } from '../../server/ops/desk-health-board';
import { bearer, login, startTestApi } from './support/test-api';

const report = (overrides: Partial<DeskHealthReport> = {}): DeskHealthReport => ({
  intervalSeconds: 60,
  outboxPending: 0,
  outboxDead: 0,
  syncLagSeconds: 5,
  screenPopP95Seconds: 0.01,
  screenPops: 3,
  ...overrides,
});

/** The value of one sample of the metrics text, e.g. sample(text, 'clm_desk_outbox_pending', 'T1'). */
function sample(text: string, name: string, team: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{team="${team}"} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

describe('the desk health board', () => {
  it('sums the outboxes, takes the worst lag (aged to now) and screen pop, and forgets a desk quiet for two intervals', () => {
    const clock = { ms: 1_000_000 };
    const board = createDeskHealthBoard(() => clock.ms);
    board.record('agent01', 'T1', report({ outboxPending: 2, outboxDead: 1, syncLagSeconds: 10, screenPopP95Seconds: 0.02 }));
    board.record('agent02', 'T1', report({ outboxPending: 3, syncLagSeconds: null, screenPopP95Seconds: null }));
    board.record('admin01', null, report());
    board.record('agent01', 'T1', report({ outboxPending: 4, outboxDead: 1, syncLagSeconds: 10, screenPopP95Seconds: 0.02 })); // replaces its last
    clock.ms += 30_000;
    expect(board.byTeam()).toEqual([
      { team: 'T1', desks: 2, outboxPending: 7, outboxDead: 1, syncLagSeconds: 40, screenPopP95Seconds: 0.02 },
      { team: 'none', desks: 1, outboxPending: 0, outboxDead: 0, syncLagSeconds: 35, screenPopP95Seconds: 0.01 },
    ]);
    clock.ms += 90_001; // past two 60 s intervals since the reports
    expect(board.byTeam()).toEqual([]);
  });
});

describe('POST /desks/health', () => {
  let api: CentralApi;
  beforeAll(async () => {
    api = await startTestApi({ seedCustomers: 10 });
  });
  afterAll(() => api?.close());

  const post = (token: string | null, payload: unknown) =>
    api.app.inject({ method: 'POST', url: '/desks/health', headers: token === null ? {} : bearer(token), payload: payload as object });

  it('exposes the reports of two desks of a team as that team’s metrics, without users or devices', async () => {
    const [agent01, agent02, agent04] = await Promise.all(['agent01', 'agent02', 'agent04'].map((user) => login(api.app, user)));
    expect((await post(agent01!, report({ outboxPending: 2, outboxDead: 1, syncLagSeconds: 30, screenPopP95Seconds: 0.05 }))).statusCode).toBe(204);
    expect((await post(agent02!, report({ outboxPending: 5, syncLagSeconds: 4, screenPopP95Seconds: 0.2 }))).statusCode).toBe(204);
    expect((await post(agent04!, report({ outboxPending: 1 }))).statusCode).toBe(204); // team T2

    const text = (await api.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(sample(text, 'clm_desk_reporting', 'T1')).toBe(2);
    expect(sample(text, 'clm_desk_outbox_pending', 'T1')).toBe(7);
    expect(sample(text, 'clm_desk_outbox_dead', 'T1')).toBe(1);
    expect(sample(text, 'clm_desk_screen_pop_p95_seconds', 'T1')).toBe(0.2);
    // The worst desk's lag, grown by the report's age (under two intervals, or it would have dropped out).
    expect(sample(text, 'clm_desk_sync_lag_seconds', 'T1')).toBeGreaterThanOrEqual(30);
    expect(sample(text, 'clm_desk_sync_lag_seconds', 'T1')).toBeLessThan(30 + 120);
    expect(sample(text, 'clm_desk_outbox_pending', 'T2')).toBe(1);
    expect(sample(text, 'clm_desk_reporting', 'T2')).toBe(1);
    const deskLines = text.split('\n').filter((line) => line.startsWith('clm_desk_'));
    expect(deskLines.every((line) => /^clm_desk_[a-z0-9_]+\{team="[^"]+"\} [\d.e+-]+$/.test(line))).toBe(true);
    expect(text).not.toMatch(/agent0\d/);
  });

  it('refuses a bad body with 400 naming the field, and counts nothing from it', async () => {
    const token = await login(api.app, 'agent03');
    const response = await post(token, { ...report(), outboxPending: -1, deviceId: 'desk-7f3a' });
    expect(response.statusCode).toBe(400);
    const error = ApiError.parse(response.json());
    expect(error.message).toMatch(/outboxPending/);
    expect(error.message).toMatch(/deviceId/);
    const text = (await api.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).not.toContain('desk-7f3a');
  });

  it('answers 401 without a token, and 401 with a bad one', async () => {
    const missing = await post(null, report());
    expect(missing.statusCode).toBe(401);
    expect(ApiError.parse(missing.json())).toMatchObject({ error: 'unauthorized', message: expect.stringMatching(/bearer token/i) });
    expect((await post('not-a-token', report())).statusCode).toBe(401);
  });
});
