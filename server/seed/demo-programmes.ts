// A deterministic past of the retention programmes for the demo launcher, so the supervisor's
// programme report has treated and control customers whose 30/60/90 days have passed. It plays the
// 90 days before the demo call history: on its first day every warned customer a programme's offers
// are meant for is assigned (the shared hash draws the group); within two weeks the outbound team
// calls the customers no programme holds out (the card decides the offer, so a control customer of
// one programme is not made its offers) and each answers from the card's P(accept); then everyone
// leaves day by day at their ground-truth hazard (churn-hazard.ts), lowered from the day they accept
// a retention offer (×0.4) or a care action (×0.7). So the control group shows what would have happened.
import { v7 as uuidv7 } from 'uuid';
import { customerSignals } from '../../shared/analytics/customer-signals';
import { rescoreCustomer } from '../../shared/analytics/rescore-customer';
import { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import { Customer, CustomerScore, Offer } from '../../shared/contract/entities';
import type { Outcome } from '../../shared/contract/outcomes';
import { WARNED_LEVELS } from '../../shared/contract/supervisor-reports';
import { buildCustomerCard } from '../../shared/domain/customer-card';
import { DAY_MS, OPERATOR_UTC_OFFSET, operatorDateDaysBefore } from '../../shared/domain/operator-time';
import { eligibilityFacts } from '../../shared/offers/eligibility-facts';
import { evaluateRule } from '../../shared/offers/evaluate-rule';
import { offerContext } from '../../shared/offers/offer-context';
import { assignedArm, holdOutExemption, isHeldOut, programmesOf } from '../../shared/programmes/control-group';
import type { SqlClient } from '../db/sql-client';
import { readScoringBundleJson } from '../scoring/scoring-bundle-store';
import { upsertCustomers, upsertScores } from '../sync/change-log';
import { dailyChurnHazardOf, HAZARD_AFTER_ACCEPTING } from './churn-hazard';
import { DEMO_SEED } from './demo-customers';
import { recordAsTheirAgents } from './demo-history';
import { seededRandom } from './seeded-random';

export const DEMO_PROGRAMMES_DEVICE = 'demo-programmes';
/** Days the programmes run before the call history starts: the report's longest window. */
export const DEMO_PROGRAMME_DAYS = 90;
const OUTREACH_DAYS = 14;
const REACHED_SHARE = 0.7;
const SEED_SALT = 0x9a0f7e11;

export interface DemoProgrammesOptions {
  /** Days of call history that follow (the programmes end where it starts). */
  historyDays: number;
  now?: Date;
  seed?: number;
}

export interface DemoProgrammesReport {
  assigned: number;
  outcomes: number;
  leavers: number;
}

interface Member {
  customer: Customer;
  score: CustomerScore;
  /** Held out of some programme it belongs to and treated by none: the outbound queue skips it. */
  skipped: boolean;
}

const INSERT_ASSIGNMENTS = `INSERT INTO programme_assignments (programme_id, customer_id, arm, exempt_by, control_share, assigned_at)
  SELECT a->>'programmeId', a->>'customerId', a->>'arm', a->>'exemptBy', (a->>'controlShare')::double precision, $2::timestamptz
  FROM jsonb_array_elements($1::jsonb) AS a ON CONFLICT (programme_id, customer_id) DO NOTHING`;

const WARNED_ROWS = `SELECT c.data AS customer, s.data AS score FROM customers c JOIN scores s ON s.customer_id = c.id AND NOT s.deleted
  WHERE NOT c.deleted AND c.status = 'active' AND s.warning_level IN (${WARNED_LEVELS.map((l) => `'${l}'`).join(', ')}) ORDER BY c.id`;

/** Seeds the programmes' past once: does nothing when any assignment exists or no offer belongs to a programme. */
export async function seedDemoProgrammes(db: SqlClient, options: DemoProgrammesOptions): Promise<DemoProgrammesReport> {
  const { historyDays, now = new Date(), seed = DEMO_SEED } = options;
  const nothing: DemoProgrammesReport = { assigned: 0, outcomes: 0, leavers: 0 };
  if ((await db.query('SELECT 1 FROM programme_assignments LIMIT 1')).length > 0) return nothing;
  const offers = (await db.query<{ data: unknown }>('SELECT data FROM offers WHERE NOT deleted ORDER BY id')).map((r) => Offer.parse(r.data));
  const programmes = programmesOf(offers).map((p) => ({ ...p, offers: offers.filter((o) => p.offerIds.includes(o.id)) }));
  const agents = (await db.query<{ id: string }>(`SELECT id FROM users WHERE role = 'agent' ORDER BY id`)).map((r) => r.id);
  if (programmes.length === 0 || agents.length === 0) return nothing;

  const firstDay = operatorDateDaysBefore(now, historyDays + DEMO_PROGRAMME_DAYS);
  const start = new Date(`${firstDay}T08:00:00${OPERATOR_UTC_OFFSET}`);
  const assignments: object[] = [];
  const members: Member[] = [];
  for (const row of await db.query<{ customer: unknown; score: unknown }>(WARNED_ROWS)) {
    const customer = Customer.parse(row.customer);
    const score = CustomerScore.parse(row.score);
    const facts = eligibilityFacts({ customer, signals: customerSignals(customer, start) }, score);
    const joined = programmes.filter((p) => p.offers.some((offer) => evaluateRule(offer.eligibility, facts).eligible));
    if (joined.length === 0) continue;
    for (const { programme } of joined)
      assignments.push({
        programmeId: programme.id,
        customerId: customer.id,
        arm: assignedArm(customer.id, programme),
        exemptBy: holdOutExemption(customer, programme),
        controlShare: programme.controlShare,
      });
    members.push({ customer, score, skipped: joined.every(({ programme }) => isHeldOut(customer, programme)) });
  }

  const random = seededRandom(seed ^ SEED_SALT, start.getTime() / DAY_MS);
  const outcomes: Outcome[] = [];
  /** Day index from which the hazard is lowered, and by how much. */
  const effects = new Map<string, { fromDay: number; factor: number }>();
  for (const member of members) {
    if (member.skipped || !random.chance(REACHED_SHARE)) continue;
    const day = random.int(0, OUTREACH_DAYS - 1);
    const at = new Date(start.getTime() + day * DAY_MS + random.int(60, 9 * 3600) * 1000);
    const callId = `prog-${operatorDateDaysBefore(at)}-${String(outcomes.length + 1).padStart(5, '0')}`;
    const { customer, score } = member;
    const card = buildCustomerCard({
      phone: customer.phone,
      customer,
      score,
      offers,
      offerStats: new Map(),
      contactHistory: null,
      recentOutcomes: [],
      channel: 'outbound',
      explorationSeed: callId,
      now: at,
    });
    const offer = card.offers[0];
    if (offer === undefined) continue;
    const accepted = random.chance(offer.pAccept);
    const factor = accepted ? HAZARD_AFTER_ACCEPTING[offer.kind] : undefined;
    if (factor !== undefined) effects.set(customer.id, { fromDay: day, factor });
    const idBytes = Uint8Array.from({ length: 16 }, () => random.int(0, 255));
    outcomes.push({
      outcomeId: uuidv7({ msecs: at.getTime(), random: idBytes }),
      deviceId: DEMO_PROGRAMMES_DEVICE,
      clientSeq: outcomes.length + 1,
      agentId: random.pick(agents),
      recordedAt: at.toISOString(),
      draft: {
        callId,
        customerId: customer.id,
        phone: customer.phone,
        note: '',
        channel: 'outbound',
        offerId: offer.offerId,
        result: accepted ? 'accepted' : 'declined',
        callbackAt: null,
        declineReason: accepted ? null : 'no_need',
        notPresentedReason: null,
        context: offerContext(card, offer),
      },
    });
  }

  const leavers: Customer[] = [];
  for (const { customer } of members) {
    const daily = dailyChurnHazardOf(customer, customerSignals(customer, start));
    const effect = effects.get(customer.id);
    const leaving = seededRandom(seed ^ SEED_SALT, Number.parseInt(customer.id.replace(/\D/g, ''), 10) || 0);
    for (let day = 0; day < DEMO_PROGRAMME_DAYS; day++) {
      const factor = effect !== undefined && day >= effect.fromDay ? effect.factor : 1;
      if (!leaving.chance(daily * factor)) continue;
      leavers.push({ ...customer, status: 'churned', churnDate: operatorDateDaysBefore(new Date(start.getTime() + day * DAY_MS)) });
      break;
    }
  }

  const bundle = await readScoringBundleJson(db);
  const scoring = bundle === null ? null : ScoringBundle.parse(JSON.parse(bundle.json));
  await db.transaction(async (tx) => {
    await tx.query(INSERT_ASSIGNMENTS, [JSON.stringify(assignments), start.toISOString()]);
    await recordAsTheirAgents(tx, outcomes, now, DEMO_PROGRAMMES_DEVICE);
    await upsertCustomers(tx, leavers);
    if (scoring !== null)
      await upsertScores(
        tx,
        leavers.map((c) => ({ ...rescoreCustomer(c, scoring, now), version: 1 })),
      );
  });
  return { assigned: assignments.length, outcomes: outcomes.length, leavers: leavers.length };
}
