// A desk shared by two agents: one signs out before their outcome and customer event went up, another
// signs in. The central API stores only the caller's own outcomes and events (agent_mismatch), so each
// must go up in its own agent's session: the second agent's at once, the first agent's kept queued
// (not dead-lettered) until they sign in again, then stored once. Rows an older desk dead-lettered as
// agent_mismatch go back to the queue at the cache migration that repairs them (once per cache) and
// wait there for their agent's session. Nothing an agent decided is lost.
import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/contract/desk-api';
import { openCache } from '../../db/cache/open-cache';
import { createOutbox } from '../../db/outbox/outbox';
import { createEventOutbox } from '../../db/outbox/event-outbox';
import { LATEST_VERSION } from '../../db/cache/migrations';
import { readCache, useBackendOnMock } from './support/backend-harness';
import { makeCustomer, makeOffer } from '../db/support/fixtures';
import { useTempDir } from '../db/support/temp-dir';
import { until } from './support/wait';

const temp = useTempDir();
const outcome = (customerId: string) => ({ callId: null, customerId, phone: null, offerId: 'o-1', result: 'accepted', channel: 'hotline' });
/** The schema version of the desks that dead-lettered another agent's rows (migration 10 repairs them). */
const SCHEMA_OF_OLDER_DESKS = 9;

describe('outcome and customer-event uploads on a desk shared by two agents', () => {
  const desk = useBackendOnMock(temp, (mock) => {
    mock.put('customer', makeCustomer(1));
    mock.put('customer', makeCustomer(2));
    mock.put('offer', makeOffer('o-1'));
  });

  /** An accepted offer and a complaint, both recorded in the signed-in agent's name. */
  async function decide(customerId: string): Promise<string> {
    const { outcomeId } = await desk.h.call<{ outcomeId: string }>('outcome/record', outcome(customerId));
    await desk.h.call('customer/logEvent', { customerId, kind: 'complaint', category: 'billing', note: `${customerId} 多扣了 20 元` });
    return outcomeId;
  }
  const stored = () => ({
    outcomes: desk.mock.committedOutcomeIds().map((id) => [desk.mock.storedOutcome(id)?.agentId, desk.mock.storedOutcome(id)?.draft.customerId]),
    events: desk.mock.storedEvents().map((e) => [e.agentId, e.draft.customerId]),
  });
  const queued = async () => {
    const { outboxPending, outboxDead } = await desk.h.call<SyncStatus>('sync/now');
    return { outboxPending, outboxDead };
  };

  /**
   * Wang decides while the central API answers nothing but errors, and signs out; li signs in on the
   * same desk while the errors go on, so an upload wang's session had in flight is answered with an
   * error too, and the central API is back once li's session runs.
   */
  async function wangDecidesOfflineThenLiSignsIn(): Promise<string> {
    await desk.h.loginAndSync('wang');
    desk.mock.faults.failNext(Number.MAX_SAFE_INTEGER, 503);
    const outcomeId = await decide('c-1');
    expect((await desk.h.call<SyncStatus>('sync/now')).lastError).not.toBeNull();
    await desk.h.call('session/logout');
    await desk.h.loginAndSync('li');
    desk.mock.faults.failNext(0);
    return outcomeId;
  }

  it("uploads each agent's outcomes and events in that agent's session and keeps the others' queued until they sign in again", async () => {
    const wangOutcome = await wangDecidesOfflineThenLiSignsIn();

    // Li's go up, wang's are neither sent in li's session nor dead-lettered.
    const liOutcome = await decide('c-2');
    await until(() => desk.mock.committedOutcomeIds().includes(liOutcome) && desk.mock.storedEvents().length === 1);
    expect(stored()).toEqual({ outcomes: [['agent-li', 'c-2']], events: [['agent-li', 'c-2']] });
    expect(await queued()).toEqual({ outboxPending: 2, outboxDead: 0 });

    // Wang signs in again: wang's go up in wang's session, once, and nothing waits any more.
    await desk.h.call('session/logout');
    await desk.h.loginAndSync('wang');
    await until(() => desk.mock.committedOutcomeIds().includes(wangOutcome) && desk.mock.storedEvents().length === 2);
    expect(await queued()).toEqual({ outboxPending: 0, outboxDead: 0 });
    expect(stored()).toEqual({
      outcomes: [
        ['agent-li', 'c-2'],
        ['agent-wang', 'c-1'],
      ],
      events: [
        ['agent-li', 'c-2'],
        ['agent-wang', 'c-1'],
      ],
    });
    expect(desk.mock.stats.rejected).toBe(0);
  });

  it("puts outcomes and events an older desk dead-lettered as agent_mismatch back in the queue once, at the cache's migration, to go up in their agent's session", async () => {
    const wangOutcome = await wangDecidesOfflineThenLiSignsIn();
    await desk.h.backend.close();

    // What an older desk did in li's session: the server's agent_mismatch answers dead-letter wang's
    // rows, in a cache of that desk's schema.
    const db = openCache(desk.cachePath);
    try {
      const [event] = createEventOutbox(db).takeDue('agent-wang', 10, Number.MAX_SAFE_INTEGER);
      const refusal = { status: 'rejected', code: 'agent_mismatch', message: "item agentId 'agent-wang' is not the logged-in user 'agent-li'" } as const;
      createOutbox(db).applyResults({ results: [{ outcomeId: wangOutcome, ...refusal }], lastAppliedClientSeq: 0 }, new Date());
      createEventOutbox(db).applyResults({ results: [{ eventId: event!.eventId, ...refusal }] });
      // That schema had none of the later migrations: migration 11's index goes with them.
      db.exec('DROP INDEX customer_events_by_state');
      db.pragma(`user_version = ${SCHEMA_OF_OLDER_DESKS}`);
    } finally {
      db.close();
    }

    // This desk's first open migrates the cache and requeues them, so in li's session they already wait, pending, for wang.
    await desk.restart();
    await desk.h.loginAndSync('li');
    expect(await queued()).toEqual({ outboxPending: 2, outboxDead: 0 });
    expect(stored()).toEqual({ outcomes: [], events: [] });
    expect(readCache(desk.cachePath, (cache) => cache.pragma('user_version', { simple: true }))).toBe(LATEST_VERSION);

    // A second open has nothing to migrate: the rows are still queued once each, none lost or doubled.
    await desk.restart();
    await desk.h.loginAndSync('li');
    expect(await queued()).toEqual({ outboxPending: 2, outboxDead: 0 });

    await desk.h.call('session/logout');
    await desk.h.loginAndSync('wang');
    await until(() => desk.mock.committedOutcomeIds().includes(wangOutcome) && desk.mock.storedEvents().length === 1);
    expect(await queued()).toEqual({ outboxPending: 0, outboxDead: 0 });
    expect(stored()).toEqual({ outcomes: [['agent-wang', 'c-1']], events: [['agent-wang', 'c-1']] });
  });
});
