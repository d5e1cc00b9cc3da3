// Retention purge: exactly the rows received before their window's cutoff go (notes are blanked,
// outcome rows stay), in batches, and a second run finds nothing.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../../server/db/sql-client';
import { purgeExpired, type PurgeOptions } from '../../server/privacy/purge-expired';
import { RETENTION_DEFAULT_DAYS, resolveRetentionPolicy, RetentionPolicyError } from '../../server/privacy/retention-policy';
import type { CentralApi } from '../../server/app';
import { startTestApi } from '../server/support/test-api';

// Long before anything the seed writes, so only the rows below can be due.
const NOW = new Date('2001-01-01T00:00:00Z');
const DAY_MS = 86_400_000;
const policy = { ctiCalls: 10, cardViewAudit: 20, outcomeNotes: 30, customerEvents: 40 };
/** Received `days` before NOW, plus or minus a minute around the cutoff. */
const daysAgo = (days: number, minutes = 0) => new Date(NOW.getTime() - days * DAY_MS + minutes * 60_000).toISOString();
const justPast = (days: number) => daysAgo(days, -1);
const justWithin = (days: number) => daysAgo(days, 1);

let api: CentralApi;
let db: SqlClient;

async function addCall(callId: string, receivedAt: string): Promise<void> {
  await db.query(`INSERT INTO cti_calls (call_id, ani, agent_id, event, received_at) VALUES ($1, '13800138000', 'agent01', 'offered', $2)`, [
    callId,
    receivedAt,
  ]);
}
async function addCardView(callId: string, receivedAt: string): Promise<void> {
  await db.query(
    `INSERT INTO card_view_audit (view_id, agent_id, customer_id, phone_masked, purpose, call_id, viewed_at, received_at, device_id)
     VALUES ($1, 'agent01', 'CUS-P', '138****8000', 'inbound_call', $2, $3, $3, 'desk-1')`,
    [uuidv7(), callId, receivedAt],
  );
}
async function addOutcome(note: string, receivedAt: string): Promise<string> {
  const id = uuidv7();
  await db.query(
    `INSERT INTO outcomes (outcome_id, device_id, client_seq, agent_id, customer_id, offer_id, result, channel, recorded_at, received_at, payload)
     VALUES ($1, 'desk-1', nextval('sync_change_seq'), 'agent01', 'CUS-P', NULL, 'not_presented', 'hotline', $2, $2, $3::jsonb)`,
    [id, receivedAt, JSON.stringify({ outcomeId: id, draft: { customerId: 'CUS-P', note, result: 'not_presented' } })],
  );
  return id;
}
async function addEvent(receivedAt: string): Promise<string> {
  const id = uuidv7();
  await db.query(
    `INSERT INTO customer_events (event_id, device_id, agent_id, customer_id, kind, recorded_at, received_at, applied_at_seq, payload)
     VALUES ($1, 'desk-1', 'agent01', 'CUS-P', 'complaint', $2, $2, 0, $3::jsonb)`,
    [id, receivedAt, JSON.stringify({ eventId: id, draft: { customerId: 'CUS-P', kind: 'complaint', note: 'slow network' } })],
  );
  return id;
}

const callIds = async () => (await db.query<{ call_id: string }>('SELECT call_id FROM cti_calls ORDER BY call_id')).map((r) => r.call_id);
const viewCallIds = async () => (await db.query<{ call_id: string }>('SELECT call_id FROM card_view_audit ORDER BY call_id')).map((r) => r.call_id);
const notes = async () =>
  Object.fromEntries(
    (await db.query<{ id: string; note: string }>(`SELECT outcome_id::text AS id, payload->'draft'->>'note' AS note FROM outcomes`)).map((r) => [r.id, r.note]),
  );
const eventIds = async () => (await db.query<{ id: string }>('SELECT event_id::text AS id FROM customer_events')).map((r) => r.id).sort();

const options = (over: Partial<PurgeOptions> = {}): PurgeOptions => ({ policy, now: NOW, dryRun: false, batchSize: 3, ...over });
const purgedBy = (counts: Awaited<ReturnType<typeof purgeExpired>>) => Object.fromEntries(counts.map((c) => [c.target, c.purged]));

const ids = { oldNote: '', oldBlank: '', newNote: '', newEvent: '' };

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 0 });
  db = api.db;
  // Seven calls past the window (more than two batches of three), two within it.
  for (let i = 1; i <= 7; i += 1) await addCall(`old-${i}`, justPast(policy.ctiCalls + i - 1));
  await addCall('new-1', justWithin(policy.ctiCalls));
  await addCall('new-2', daysAgo(1));
  await addCardView('view-old', justPast(policy.cardViewAudit));
  await addCardView('view-new', justWithin(policy.cardViewAudit));
  ids.oldNote = await addOutcome('customer said call after 6pm', justPast(policy.outcomeNotes));
  ids.oldBlank = await addOutcome('', justPast(policy.outcomeNotes + 5));
  ids.newNote = await addOutcome('wants the family plan', justWithin(policy.outcomeNotes));
  await addEvent(justPast(policy.customerEvents));
  ids.newEvent = await addEvent(justWithin(policy.customerEvents));
});

afterAll(async () => {
  await api?.close();
});

describe('privacy purge', () => {
  it('a dry run counts what is due and changes nothing', async () => {
    const counts = await purgeExpired(db, options({ dryRun: true }));
    expect(purgedBy(counts)).toEqual({ cti_calls: 7, card_view_audit: 1, 'outcomes.note': 1, customer_events: 1 });
    expect(counts.find((c) => c.target === 'cti_calls')?.cutoff).toBe(daysAgo(policy.ctiCalls));
    expect(await callIds()).toHaveLength(9);
    expect(Object.values(await notes())).toContain('customer said call after 6pm');
  });

  it('removes exactly what is past its window, in batches, and blanks old notes but keeps their outcomes', async () => {
    const counts = await purgeExpired(db, options());
    expect(purgedBy(counts)).toEqual({ cti_calls: 7, card_view_audit: 1, 'outcomes.note': 1, customer_events: 1 });
    expect(counts.find((c) => c.target === 'cti_calls')?.batches).toBe(3);
    expect(await callIds()).toEqual(['new-1', 'new-2']);
    expect(await viewCallIds()).toEqual(['view-new']);
    expect(await notes()).toEqual({ [ids.oldNote]: '', [ids.oldBlank]: '', [ids.newNote]: 'wants the family plan' });
    expect(await eventIds()).toEqual([ids.newEvent]);
  });

  it('a second run finds nothing to do', async () => {
    const counts = await purgeExpired(db, options());
    expect(purgedBy(counts)).toEqual({ cti_calls: 0, card_view_audit: 0, 'outcomes.note': 0, customer_events: 0 });
    expect(await callIds()).toEqual(['new-1', 'new-2']);
  });
});

describe('retention policy', () => {
  it('takes the stated defaults when nothing is set', () => {
    expect(resolveRetentionPolicy({})).toEqual(RETENTION_DEFAULT_DAYS);
  });

  it('reads whole days from the environment', () => {
    expect(resolveRetentionPolicy({ CLM_RETENTION_CTI_CALLS_DAYS: '90', CLM_RETENTION_OUTCOME_NOTES_DAYS: ' ' })).toEqual({
      ...RETENTION_DEFAULT_DAYS,
      ctiCalls: 90,
    });
  });

  it('refuses a window that is not a positive whole number of days, naming the variable', () => {
    expect(() => resolveRetentionPolicy({ CLM_RETENTION_CARD_VIEW_AUDIT_DAYS: '0' })).toThrow(RetentionPolicyError);
    expect(() => resolveRetentionPolicy({ CLM_RETENTION_CUSTOMER_EVENTS_DAYS: '1.5' })).toThrow(/CLM_RETENTION_CUSTOMER_EVENTS_DAYS/);
  });
});
