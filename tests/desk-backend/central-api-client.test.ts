import { describe, expect, it } from 'vitest';
import { CentralApiError, createCentralApiClient } from '../../desk-backend/central-api/central-api-client';
import { centralApiRoutes } from '../../shared/contract/central-api-routes';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function clientAnswering(answer: (url: string, init?: RequestInit) => Promise<Response>, timeoutMs?: number) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = String(input);
    calls.push({ url, init });
    return answer(url, init);
  };
  const client = createCentralApiClient({ baseUrl: 'http://central.test/', fetch, timeoutMs });
  return { client, session: client.forSession({ authorized: (call) => call('tok') }), calls };
}

async function failure(promise: Promise<unknown>): Promise<CentralApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CentralApiError);
  return error as CentralApiError;
}

describe('central API client', () => {
  it('sends the bearer token and query, and parses a valid page', async () => {
    const { session, calls } = clientAnswering(async () => json(200, { changes: [], nextCursor: 5, hasMore: false }));
    await expect(session.changes(5, 100)).resolves.toEqual({ changes: [], nextCursor: 5, hasMore: false });
    expect(calls[0]?.url).toBe('http://central.test/sync/changes?after=5&limit=100');
    expect(new Headers(calls[0]?.init?.headers).get('authorization')).toBe('Bearer tok');
  });

  it('asks the session for its current token at each call, so a renewed token is used at once', async () => {
    let accessToken = 'first';
    const calls: string[] = [];
    const client = createCentralApiClient({
      baseUrl: 'http://central.test',
      fetch: async (_input, init) => {
        calls.push(new Headers(init?.headers).get('authorization') ?? '');
        return json(200, { generatedAt: '2026-12-07T01:00:00.000Z', candidates: [] });
      },
    });
    const session = client.forSession({ authorized: (call) => call(accessToken) });
    await session.outboundQueue();
    accessToken = 'renewed';
    await session.outboundQueue();
    expect(calls).toEqual(['Bearer first', 'Bearer renewed']);
  });

  it('takes method, path and query of every call from the route table', async () => {
    const { session, calls } = clientAnswering(async () => json(200, {}));
    await failure(session.retentionReport({ from: '2026-11-01', to: '2026-11-30', team: 'T1' }));
    await failure(session.snapshot('offer', 'o-9', 50));
    await failure(session.outcomesBatch({ deviceId: 'desk-1', items: [] }));
    expect(calls.map((call) => `${call.init?.method} ${call.url}`)).toEqual([
      `${centralApiRoutes.getRetentionReport.method} http://central.test/reports/retention?from=2026-11-01&to=2026-11-30&team=T1`,
      `${centralApiRoutes.getSyncSnapshot.method} http://central.test/sync/snapshot?entity=offer&afterKey=o-9&limit=50`,
      `${centralApiRoutes.postOutcomeBatch.method} http://central.test/outcomes/batch`,
    ]);
    expect(JSON.parse(String(calls[2]?.init?.body))).toEqual({ deviceId: 'desk-1', items: [] });
  });

  it('classifies a network failure as offline', async () => {
    const { session } = clientAnswering(async () => {
      throw new TypeError('fetch failed');
    });
    expect((await failure(session.changes(0, 1))).kind).toBe('offline');
  });

  it('classifies a timeout as offline', async () => {
    const { session } = clientAnswering(
      (_url, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
      30,
    );
    const error = await failure(session.changes(0, 1));
    expect(error.kind).toBe('offline');
    expect(error.message).toContain('timed out');
  });

  it('waits longer for a supervisor report than for a sync page', async () => {
    // Both answers arrive after the client's own 30 ms timeout; only the report is still waited for.
    const slowAnswer = (_url: string, init?: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        const timer = setTimeout(() => resolve(json(200, { unexpected: true })), 120);
        init?.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(init.signal?.reason);
        });
      });
    const { session } = clientAnswering(slowAnswer, 30);
    const query = { from: '2026-11-01', to: '2026-11-30' };
    expect((await failure(session.outcomeReport(query))).kind).toBe('bad_response');
    expect((await failure(session.retentionReport(query))).kind).toBe('bad_response');
    expect((await failure(session.changes(0, 1))).kind).toBe('offline');
  });

  it('classifies 401 as unauthenticated, with the ApiError message', async () => {
    const { client } = clientAnswering(async () => json(401, { error: 'unauthenticated', message: 'invalid credentials' }));
    const error = await failure(client.login({ username: 'a', password: 'b' }));
    expect(error).toMatchObject({ kind: 'unauthenticated', status: 401, message: 'invalid credentials' });
  });

  it('classifies other error statuses as http with status and message', async () => {
    const { session } = clientAnswering(async () => json(503, { error: 'unavailable', message: 'maintenance' }));
    const error = await failure(session.changes(0, 1));
    expect(error).toMatchObject({ kind: 'http', status: 503 });
    expect(error.message).toContain('maintenance');
  });

  it('classifies a body that does not match the contract as bad_response', async () => {
    const { session } = clientAnswering(async () => json(200, { changes: 'nope' }));
    expect((await failure(session.changes(0, 1))).kind).toBe('bad_response');
    const html = clientAnswering(async () => new Response('<html>proxy login</html>', { status: 200 }));
    expect((await failure(html.session.changes(0, 1))).kind).toBe('bad_response');
  });
});
