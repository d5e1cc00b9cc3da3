// A deterministic past of hotline calls for the demo launcher, so the supervisor's reports have
// something to show on first start. Each outcome goes through recordOutcomeBatch (offer stats,
// contact history and fulfilment orders stay consistent) and each call gets its CTI events.
// The sample of a calendar day depends only on the book and that date: same book, same history.
// Customers keep leaving while the history runs, each day at their ground-truth hazard
// (churn-hazard.ts), lowered from the day they accept a retention offer or a care action: so the
// save rate, churn after contact and uplift have leavers to count. Leavers are written as churned,
// re-assessed with the published scoring bundle, in the same transaction as the outcomes, which also
// keeps the champion's predictions of the book as the history starts (who was warned before it).
import { v7 as uuidv7 } from 'uuid';
import { OUTCOME_BATCH_MAX } from '../../shared/contract/central-api';
import type { CustomerCard } from '../../shared/contract/desk-api';
import { Customer, CustomerScore, Offer, type ObjectionKind } from '../../shared/contract/entities';
import type { DeclineReason, NotPresentedReason, Outcome, OutcomeDraft } from '../../shared/contract/outcomes';
import { offerContext } from '../../shared/offers/offer-context';
import { buildCustomerCard } from '../../shared/domain/customer-card';
import { likelyObjections } from '../../shared/offers/churn-reasons';
import { customerSignals } from '../../shared/analytics/customer-signals';
import { rescoreCustomer } from '../../shared/analytics/rescore-customer';
import { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import type { SqlClient } from '../db/sql-client';
import { keepChampionPredictions } from '../models/record-predictions';
import { recordOutcomeBatch } from '../outcomes/record-batch';
import { readScoringBundleJson } from '../scoring/scoring-bundle-store';
import { upsertCustomers, upsertScores } from '../sync/change-log';
import { dailyChurnHazardOf, HAZARD_AFTER_ACCEPTING } from './churn-hazard';
import { DAY_MS, OPERATOR_UTC_OFFSET, operatorDateDaysBefore } from '../../shared/domain/operator-time';
import { DEMO_SEED } from './demo-customers';
import { dropKeptScoresReaching } from './demo-kept-scores';
import { seededRandom, type SeededRandom } from './seeded-random';

export const DEMO_HISTORY_DEVICE = 'demo-history';
/** About 40 hotline contacts a day for a 20,000 book, at least MIN_CONTACTS_PER_DAY. */
const CUSTOMERS_PER_DAILY_CONTACT = 500;
const MIN_CONTACTS_PER_DAY = 3;
/** Calls fall between 09:00 and 18:00 operator time. */
const OPENING_MS = 9 * 3_600_000;
const OPEN_HOURS_MS = 9 * 3_600_000;

const DECLINE_OF_OBJECTION: Record<ObjectionKind, DeclineReason> = {
  price: 'price',
  network: 'network',
  competitor: 'competitor',
  service: 'service',
  not_interested: 'no_need',
};
const OTHER_DECLINES: readonly DeclineReason[] = ['price', 'no_need', 'already_has', 'other'];
const NOT_PRESENTED_ON_A_CALL: readonly NotPresentedReason[] = ['customer_busy', 'customer_hung_up', 'service_issue_first'];

export interface DemoHistoryOptions {
  days: number;
  /** The history ends the day before this (default: now). */
  now?: Date;
  seed?: number;
}

export interface DemoHistoryReport {
  outcomes: number;
  calls: number;
  /** Customers who left during the history. */
  leavers: number;
}

/** Mixes the leaving draws' seed away from the contact sample's, so the two do not move together. */
const LEAVING_SEED_SALT = 0x5eed1ea7;

interface DemoCall {
  callId: string;
  ani: string;
  agentId: string;
  offeredAt: Date;
  answeredAt: Date;
  endedAt: Date;
}

const INSERT_CALLS = `INSERT INTO cti_calls (call_id, ani, agent_id, event, received_at)
  SELECT e->>'callId', e->>'ani', e->>'agentId', e->>'event', (e->>'at')::timestamptz FROM jsonb_array_elements($1::jsonb) AS e`;

const SAMPLED_ROWS = `SELECT c.data AS customer, s.data AS score FROM customers c
  LEFT JOIN scores s ON s.customer_id = c.id AND NOT s.deleted
  WHERE c.id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY c.id`;

function distinctSample<T>(items: readonly T[], count: number, random: SeededRandom): T[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, items.length)) chosen.add(random.int(0, items.length - 1));
  return [...chosen].map((i) => items[i] as T);
}

/** What the agent did with the card's best offer: mostly the customer's answer to it, drawn from pAccept. */
function drawResult(
  card: CustomerCard,
  endedAt: Date,
  random: SeededRandom,
): Pick<OutcomeDraft, 'offerId' | 'result' | 'callbackAt' | 'declineReason' | 'notPresentedReason' | 'context'> {
  const offer = card.offers[0] ?? null;
  const none = { callbackAt: null, declineReason: null, notPresentedReason: null };
  if (offer === null || random.chance(0.1)) {
    const notPresentedReason = offer === null ? 'not_relevant' : random.pick(NOT_PRESENTED_ON_A_CALL);
    return { ...none, offerId: null, result: 'not_presented', notPresentedReason, context: offerContext(card, null) };
  }
  const context = offerContext(card, offer);
  if (random.chance(0.06)) {
    return { ...none, offerId: offer.offerId, result: 'callback', callbackAt: new Date(endedAt.getTime() + DAY_MS).toISOString(), context };
  }
  if (random.chance(offer.pAccept)) return { ...none, offerId: offer.offerId, result: 'accepted', context };
  // The objection the churn reasons predict, when they predict one.
  const [objection] = likelyObjections(card.assessment.topReasons);
  const declineReason = objection === undefined ? random.pick(OTHER_DECLINES) : DECLINE_OF_OBJECTION[objection];
  return { ...none, offerId: offer.offerId, result: 'declined', declineReason, context };
}

/**
 * Seeds `days` past days of hotline outcomes and their calls, in one transaction, unless it has
 * seeded them before (then it does nothing). Active customers and agents come from the database.
 */
export async function seedDemoHistory(db: SqlClient, options: DemoHistoryOptions): Promise<DemoHistoryReport> {
  const { days, now = new Date(), seed = DEMO_SEED } = options;
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`demo history days must be a whole number >= 0, got ${days}`);
  const nothing: DemoHistoryReport = { outcomes: 0, calls: 0, leavers: 0 };
  if (days === 0 || (await db.query('SELECT 1 FROM outcomes WHERE device_id = $1 LIMIT 1', [DEMO_HISTORY_DEVICE])).length > 0) return nothing;

  const agents = (await db.query<{ id: string }>(`SELECT id FROM users WHERE role = 'agent' ORDER BY id`)).map((r) => r.id);
  const activeCustomers = (await db.query<{ data: unknown }>(`SELECT data FROM customers WHERE NOT deleted AND status = 'active' ORDER BY id`)).map((r) =>
    Customer.parse(r.data),
  );
  let active = activeCustomers.map((c) => c.id);
  const offers = (await db.query<{ data: unknown }>('SELECT data FROM offers WHERE NOT deleted ORDER BY id')).map((r) => Offer.parse(r.data));
  if (agents.length === 0 || active.length === 0) return nothing;
  const contactsPerDay = Math.max(MIN_CONTACTS_PER_DAY, Math.round(active.length / CUSTOMERS_PER_DAILY_CONTACT));

  const start = new Date(now.getTime() - days * DAY_MS);
  const dailyHazard = new Map(activeCustomers.map((c) => [c.id, dailyChurnHazardOf(c, customerSignals(c, start))] as const));
  const treated = new Map<string, number>();
  const leavers: { customer: Customer; date: string }[] = [];
  const byId = new Map(activeCustomers.map((c) => [c.id, c]));

  const outcomes: Outcome[] = [];
  const calls: DemoCall[] = [];
  for (let daysBack = days; daysBack >= 1; daysBack--) {
    const date = operatorDateDaysBefore(now, daysBack);
    const dayStart = new Date(`${date}T00:00:00${OPERATOR_UTC_OFFSET}`).getTime();
    const leaving = seededRandom(seed ^ LEAVING_SEED_SALT, dayStart / DAY_MS);
    const left = new Set(active.filter((id) => leaving.chance((dailyHazard.get(id) ?? 0) * (treated.get(id) ?? 1))));
    for (const id of left) leavers.push({ customer: byId.get(id) as Customer, date });
    if (left.size > 0) active = active.filter((id) => !left.has(id));
    if (active.length === 0) break;
    const random = seededRandom(seed, dayStart / DAY_MS);
    const sampled = distinctSample(active, contactsPerDay, random);
    const rows = await db.query<{ customer: unknown; score: unknown }>(SAMPLED_ROWS, [JSON.stringify(sampled)]);
    const dayCalls = rows
      .map((row) => ({ row, answeredAt: dayStart + OPENING_MS + random.int(0, OPEN_HOURS_MS / 1000) * 1000 }))
      .sort((a, b) => a.answeredAt - b.answeredAt);
    for (const [n, { row, answeredAt }] of dayCalls.entries()) {
      const customer = Customer.parse(row.customer);
      const score = row.score === null ? null : CustomerScore.parse(row.score);
      const call: DemoCall = {
        callId: `demo-${date}-${String(n + 1).padStart(3, '0')}`,
        ani: customer.phone,
        agentId: random.pick(agents),
        offeredAt: new Date(answeredAt - random.int(3, 25) * 1000),
        answeredAt: new Date(answeredAt),
        endedAt: new Date(answeredAt + random.int(120, 480) * 1000),
      };
      const card = buildCustomerCard({
        phone: customer.phone,
        customer,
        score,
        offers,
        offerStats: new Map(),
        contactHistory: null,
        recentOutcomes: [],
        channel: 'hotline',
        explorationSeed: call.callId,
        now: call.answeredAt,
      });
      const recordedAt = call.endedAt;
      const idBytes = Uint8Array.from({ length: 16 }, () => random.int(0, 255));
      const result = drawResult(card, recordedAt, random);
      const accepted = result.result === 'accepted' ? card.offers.find((o) => o.offerId === result.offerId) : undefined;
      const effect = accepted === undefined ? undefined : HAZARD_AFTER_ACCEPTING[accepted.kind];
      if (effect !== undefined) treated.set(customer.id, Math.min(treated.get(customer.id) ?? 1, effect));
      outcomes.push({
        outcomeId: uuidv7({ msecs: recordedAt.getTime(), random: idBytes }),
        deviceId: DEMO_HISTORY_DEVICE,
        clientSeq: outcomes.length + 1,
        agentId: call.agentId,
        recordedAt: recordedAt.toISOString(),
        draft: { callId: call.callId, customerId: customer.id, phone: customer.phone, note: '', channel: 'hotline', ...result },
      });
      calls.push(call);
    }
  }

  const churned = leavers.map(({ customer, date }): Customer => ({ ...customer, status: 'churned', churnDate: date }));
  const bundle = await readScoringBundleJson(db);
  const scoring = bundle === null ? null : ScoringBundle.parse(JSON.parse(bundle.json));
  await db.transaction(async (tx) => {
    const firstDay = operatorDateDaysBefore(start);
    await dropKeptScoresReaching(tx, firstDay);
    // The champion's predictions of the book as the history starts, kept as `clm model shadow` keeps each day's
    // (before the leavers are written): the retention report reads who was warned before a period from them.
    // Only the predictions: the book's drift is measured on today's book, not backdated to the history's start.
    await keepChampionPredictions(tx, firstDay);
    await recordAsTheirAgents(tx, outcomes, now);
    await tx.query(INSERT_CALLS, [JSON.stringify(calls.flatMap(callEvents))]);
    await upsertCustomers(tx, churned);
    if (scoring !== null)
      await upsertScores(
        tx,
        churned.map((c) => ({ ...rescoreCustomer(c, scoring, now), version: 1 })),
      );
  });
  return { outcomes: outcomes.length, calls: calls.length, leavers: churned.length };
}

/** recordOutcomeBatch stores an agent's own outcomes only, so the history is uploaded per agent (demo-programmes.ts too). */
export async function recordAsTheirAgents(tx: SqlClient, outcomes: readonly Outcome[], now: Date, deviceId = DEMO_HISTORY_DEVICE): Promise<void> {
  const byAgent = new Map<string, Outcome[]>();
  for (const outcome of outcomes) {
    const items = byAgent.get(outcome.agentId);
    if (items === undefined) byAgent.set(outcome.agentId, [outcome]);
    else items.push(outcome);
  }
  for (const [agentId, items] of byAgent) {
    for (let start = 0; start < items.length; start += OUTCOME_BATCH_MAX) {
      const response = await recordOutcomeBatch(tx, { deviceId, items: items.slice(start, start + OUTCOME_BATCH_MAX) }, agentId, now);
      const refused = response.results.find((r) => r.status === 'rejected');
      if (refused?.status === 'rejected') throw new Error(`demo history outcome ${refused.outcomeId} was rejected: ${refused.message}`);
    }
  }
}

function callEvents(call: DemoCall) {
  const event = (kind: 'offered' | 'answered' | 'ended', at: Date) => ({
    callId: call.callId,
    ani: call.ani,
    agentId: call.agentId,
    event: kind,
    at: at.toISOString(),
  });
  return [event('offered', call.offeredAt), event('answered', call.answeredAt), event('ended', call.endedAt)];
}
