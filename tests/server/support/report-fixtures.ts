// Hand-built report data written straight into the central database: users in their own teams,
// customers with known fates, outcomes and calls at chosen operator days.
import { v7 as uuidv7 } from 'uuid';
import type { WarningLevel } from '../../../shared/contract/entities';
import type { Outcome, OutcomeDraft } from '../../../shared/contract/outcomes';
import { insertUsers } from '../../../server/auth/users';
import type { SqlClient } from '../../../server/db/sql-client';
import { DEMO_PASSWORD } from '../../../server/seed/demo-users';
import { OPERATOR_UTC_OFFSET, operatorDateDaysBefore } from '../../../shared/domain/operator-time';
import { TEST_NOW } from '../../support/test-clock';

/** The operator's (UTC+8) calendar date `days` days before the tests' today (TEST_NOW, startTestApi's clock). */
export function operatorDate(daysAgo: number): string {
  return operatorDateDaysBefore(TEST_NOW, daysAgo);
}

/** An instant on that operator day, at `hour` o'clock operator time. */
export function operatorInstant(daysAgo: number, hour = 12): string {
  return new Date(`${operatorDate(daysAgo)}T${String(hour).padStart(2, '0')}:00:00${OPERATOR_UTC_OFFSET}`).toISOString();
}

export async function addStaff(db: SqlClient, staff: readonly { username: string; role: 'agent' | 'supervisor' | 'admin'; team: string | null }[]) {
  await insertUsers(
    db,
    staff.map((s) => ({ ...s, displayName: s.username, password: DEMO_PASSWORD })),
  );
}

export async function addOffer(
  db: SqlClient,
  offer: { id: string; kind: string; experiment?: { id: string; arm: 'champion' | 'challenger' }; name?: { zh: string; en: string } },
) {
  const data = {
    id: offer.id,
    kind: offer.kind,
    priorAcceptance: { alpha: 1, beta: 1 },
    experiment: offer.experiment ?? null,
    ...(offer.name ? { name: offer.name } : {}),
  };
  await db.query(`INSERT INTO offers (id, version, change_seq, data) VALUES ($1, 1, nextval('sync_change_seq'), $2::jsonb)`, [offer.id, JSON.stringify(data)]);
}

export async function addOfferStats(db: SqlClient, offerId: string, presented: number, accepted: number) {
  const data = { offerId, version: 1, segments: { all: { presented, accepted } }, updatedAt: TEST_NOW.toISOString() };
  await db.query(`INSERT INTO offer_stats (offer_id, version, change_seq, data) VALUES ($1, 1, nextval('sync_change_seq'), $2::jsonb)`, [
    offerId,
    JSON.stringify(data),
  ]);
}

export async function addCustomer(db: SqlClient, customer: { id: string; phone: string; churnDaysAgo: number | null; warningLevel: WarningLevel }) {
  const status = customer.churnDaysAgo === null ? 'active' : 'churned';
  const churnDate = customer.churnDaysAgo === null ? null : operatorDate(customer.churnDaysAgo);
  await db.query(`INSERT INTO customers (id, phone, status, version, change_seq, data) VALUES ($1, $2, $3, 1, nextval('sync_change_seq'), $4::jsonb)`, [
    customer.id,
    customer.phone,
    status,
    JSON.stringify({ id: customer.id, phone: customer.phone, status, churnDate }),
  ]);
  await db.query(`INSERT INTO scores (customer_id, version, change_seq, warning_level, data) VALUES ($1, 1, nextval('sync_change_seq'), $2, '{}'::jsonb)`, [
    customer.id,
    customer.warningLevel,
  ]);
}

export interface FixtureOutcome {
  agentId: string;
  customerId: string;
  offerId: string | null;
  result: OutcomeDraft['result'];
  recordedAt: string;
  warningLevel: WarningLevel;
  arpu3m: number;
  phone?: string;
  declineReason?: OutcomeDraft['declineReason'];
  notPresentedReason?: OutcomeDraft['notPresentedReason'];
}

let clientSeq = 0;
export async function addOutcome(db: SqlClient, o: FixtureOutcome): Promise<string> {
  const outcome: Outcome = {
    outcomeId: uuidv7(),
    deviceId: 'report-fixture',
    clientSeq: ++clientSeq,
    agentId: o.agentId,
    recordedAt: o.recordedAt,
    draft: {
      callId: null,
      customerId: o.customerId,
      phone: o.phone ?? null,
      offerId: o.offerId,
      result: o.result,
      note: '',
      channel: 'hotline',
      callbackAt: o.result === 'callback' ? o.recordedAt : null,
      declineReason: o.declineReason ?? null,
      notPresentedReason: o.notPresentedReason ?? null,
      context: {
        modelVersion: 'fixture-1',
        stage: 'D',
        valueTier: 'gold',
        warningLevel: o.warningLevel,
        churnProbability: 0.5,
        segment: 'D-gold',
        rank: o.offerId === null ? null : 1,
        expectedValue: 42.5,
        pAccept: 0.3,
        explored: false,
        arpu3m: o.arpu3m,
      },
    },
  };
  await db.query(
    `INSERT INTO outcomes (outcome_id, device_id, client_seq, agent_id, customer_id, offer_id, result, channel, recorded_at, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz, $10::jsonb)`,
    [outcome.outcomeId, outcome.deviceId, outcome.clientSeq, o.agentId, o.customerId, o.offerId, o.result, 'hotline', o.recordedAt, JSON.stringify(outcome)],
  );
  return outcome.outcomeId;
}

/** One call's answered and (optionally) ended events, `handleSeconds` apart. */
export async function addCall(db: SqlClient, call: { callId: string; agentId: string; answeredAt: string; handleSeconds: number | null }) {
  const insert = `INSERT INTO cti_calls (call_id, ani, agent_id, event, received_at) VALUES ($1, '13800000000', $2, $3, $4::timestamptz)`;
  await db.query(insert, [call.callId, call.agentId, 'answered', call.answeredAt]);
  if (call.handleSeconds !== null)
    await db.query(insert, [call.callId, call.agentId, 'ended', new Date(Date.parse(call.answeredAt) + call.handleSeconds * 1000).toISOString()]);
}
