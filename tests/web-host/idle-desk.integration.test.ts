// A desk nobody uses closes by itself, and nothing typed on it is lost: an agent types an outcome
// draft, records an outcome the central API cannot take yet, and closes the tab. After the idle
// time the desk closes (on a clock the test moves by hand); when the agent signs in again the
// draft is back as typed and the queued outcome goes up, once. Real desk backend, real central API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { CentralApi } from '../../server/app';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import type { CustomerCard, DeskResult, InteractionDraft, OpenInteraction, SyncStatus } from '../../shared/contract/desk-api';
import type { UserDesks } from '../../web-host/user-desks';
import { startDesksOnTestApi, type DesksOnTestApi } from './support/desks-on-test-api';
import { manualTimers } from './support/manual-timers';

const IDLE_MS = 30 * 60_000;
const BROWSER = 'browser-of-agent04';
const timers = manualTimers();
let api: CentralApi;
let desks: UserDesks;
let network: DesksOnTestApi['network'];
const dataDir = mkdtempSync(path.join(tmpdir(), 'clm-idle-desks-'));

beforeAll(async () => {
  ({ api, desks, network } = await startDesksOnTestApi(dataDir, { maxDesks: 2, idleMs: IDLE_MS, startTimer: timers.startTimer, warn: () => undefined }));
});
afterAll(async () => {
  await desks?.close();
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<T>(operation: string, input: unknown = {}): Promise<DeskResult<T>> {
  return (await desks.invoke(BROWSER, operation, input)).body as DeskResult<T>;
}

const value = <T>(result: DeskResult<T>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
};

const DRAFT: InteractionDraft = {
  result: 'callback',
  note: '客户说月底前再联系,先别推套餐',
  callbackAt: '2026-12-20T10:3',
  declineReason: null,
  notPresentedReason: null,
  chosenOfferId: null,
};

const storedOutcomes = (outcomeId: string) =>
  api.db.query<{ agent_id: string; n: number }>(`SELECT agent_id, count(*)::int AS n FROM outcomes WHERE outcome_id = $1 GROUP BY agent_id`, [outcomeId]);

it('closes a desk nobody used for the idle time, and gives back the typed draft and the queued outcome at the next login', async () => {
  value(await call('session/login', { username: 'agent04', password: DEMO_PASSWORD }));
  value(await call('sync/now'));
  const card = value(await call<CustomerCard>('card/byCustomer', { customerId: 'CUS0000002', callId: null, purpose: 'outbound' }));
  value(
    await call('interaction/open', {
      interactionId: 'idle-outbound-1',
      request: { by: 'customer', customerId: 'CUS0000002', callId: null, source: 'outbound' },
      card,
    }),
  );
  value(await call('interaction/saveDraft', { interactionId: 'idle-outbound-1', draft: DRAFT }));

  // The network goes; an outcome recorded now waits in the outbox.
  network.reachable = false;
  const { outcomeId } = value(
    await call<{ outcomeId: string }>('outcome/record', {
      callId: 'idle-call-1',
      customerId: 'CUS0000001',
      phone: null,
      offerId: 'OFF-D-RETENTION-DISCOUNT',
      result: 'accepted',
      note: 'typed before the tab was closed',
      channel: 'hotline',
    }),
  );

  // The tab is closed (no socket, no request): one minute short of the idle time the desk is still open.
  timers.advance(IDLE_MS - 60_000);
  expect(desks.openDesks()).toEqual(['agent04']);
  timers.advance(60_000);
  expect(desks.openDesks()).toEqual([]);
  expect(value(await call('session/current'))).toBeNull();
  expect(await storedOutcomes(outcomeId)).toEqual([]);

  // agent04 signs in again: the draft is back exactly as typed, and the queued outcome goes up once.
  network.reachable = true;
  value(await call('session/login', { username: 'agent04', password: DEMO_PASSWORD }));
  const { interactions } = value(await call<{ interactions: OpenInteraction[] }>('interaction/list'));
  expect(interactions).toHaveLength(1);
  expect(interactions[0]).toMatchObject({ interactionId: 'idle-outbound-1', draft: DRAFT });
  expect(interactions[0]!.card?.customer?.id).toBe('CUS0000002');
  // The failed tries set the outcome's retry time (backoff): asked again until it has gone up.
  await vi.waitFor(async () => expect(value(await call<SyncStatus>('sync/now'))).toMatchObject({ outboxPending: 0, outboxDead: 0 }), {
    timeout: 30_000,
    interval: 200,
  });
  expect(await storedOutcomes(outcomeId)).toEqual([{ agent_id: 'agent04', n: 1 }]);

  value(await call('session/logout'));
  expect(desks.openDesks()).toEqual([]);
}, 60_000);
