// A deterministic past of the retention programmes for the demo launcher, so the supervisor's
// programme report has treated and control customers whose 30/60/90 days have passed, and one
// programme has enough randomised data for its uplift model. It plays the 90 days before the demo
// call history: on its first day every warned customer a programme's offers are meant for is
// assigned (the shared hash draws the group); within two weeks the outbound team calls the
// customers no programme holds out (the card decides the offer, so a control customer of one
// programme is not made its offers) and each answers; then everyone leaves day by day at their
// ground-truth hazard (churn-hazard.ts), changed from the day of the call as the known-truth
// simulation has it (shared/programmes/uplift-simulation.ts): a retention call's acceptance and its
// own effect depend on the customer's segment (a call reminds a settled customer out of contract
// that they are free to go), an accepted retention offer lowers the hazard ×0.4, an accepted care
// action ×0.7. So the control group shows what would have happened.
//
// The programme with the most members runs its 90 days as a learning pilot: every active customer
// is randomised, half held out (MAX_CONTROL_SHARE), because its uplift model needs 200 leavers in
// each group and a 10 % hold-out of the warned customers of a 20,000 book has about 40. Its draws
// nest in the catalogue's (the same salted hash, a larger share), so its treated customers are
// treated by the catalogue's rule too. The scoring bundle is published again at the end, which
// fits that uplift model: demo cards of the programme are then ranked by uplift × CLV.
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
import { MAX_CONTROL_SHARE, type RetentionProgramme } from '../../shared/contract/retention-programmes';
import { assignedArm, holdOutExemption, isHeldOut, programmesOf } from '../../shared/programmes/control-group';
import { SEGMENT_TRUTH, truthSegmentOf } from '../../shared/programmes/uplift-simulation';
import type { SqlClient } from '../db/sql-client';
import { publishScoringBundle, readScoringBundleJson } from '../scoring/scoring-bundle-store';
import { upsertCustomers, upsertScores } from '../sync/change-log';
import { dailyChurnHazardOf, HAZARD_AFTER_ACCEPTING, PRICE_SENSITIVE_PLANS } from './churn-hazard';
import { DEMO_SEED } from './demo-customers';
import { recordAsTheirAgents } from './demo-history';
import { dropKeptScoresReaching } from './demo-kept-scores';
import { seededRandom, type SeededRandom } from './seeded-random';

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
  /** The programme run as a learning pilot (absent when nothing was seeded). */
  pilot?: string;
  /** Programmes whose uplift model the bundle published at the end carries (absent when nothing was seeded). */
  upliftModels?: string[];
}

interface Member {
  customer: Customer;
  score: CustomerScore;
  /** Warned and meant for some programme's offers, and held out by none of them: the outbound team calls. */
  called: boolean;
}

const INSERT_ASSIGNMENTS = `INSERT INTO programme_assignments (programme_id, customer_id, arm, exempt_by, control_share, assigned_at)
  SELECT a->>'programmeId', a->>'customerId', a->>'arm', a->>'exemptBy', (a->>'controlShare')::double precision, $2::timestamptz
  FROM jsonb_array_elements($1::jsonb) AS a ON CONFLICT (programme_id, customer_id) DO NOTHING`;

const ACTIVE_ROWS = `SELECT c.data AS customer, s.data AS score FROM customers c JOIN scores s ON s.customer_id = c.id AND NOT s.deleted
  WHERE NOT c.deleted AND c.status = 'active' ORDER BY c.id`;

const isWarned = (score: CustomerScore) => (WARNED_LEVELS as readonly string[]).includes(score.warningLevel);

/** Seeds the programmes' past once: does nothing when any assignment exists or no offer belongs to a programme. */
export async function seedDemoProgrammes(db: SqlClient, options: DemoProgrammesOptions): Promise<DemoProgrammesReport> {
  const { historyDays, now = new Date(), seed = DEMO_SEED } = options;
  const nothing: DemoProgrammesReport = { assigned: 0, outcomes: 0, leavers: 0 };
  if ((await db.query('SELECT 1 FROM programme_assignments LIMIT 1')).length > 0) return nothing;
  const catalogue = (await db.query<{ data: unknown }>('SELECT data FROM offers WHERE NOT deleted ORDER BY id')).map((r) => Offer.parse(r.data));
  const agents = (await db.query<{ id: string }>(`SELECT id FROM users WHERE role = 'agent' ORDER BY id`)).map((r) => r.id);
  const catalogueProgrammes = programmesOf(catalogue);
  if (catalogueProgrammes.length === 0 || agents.length === 0) return nothing;

  const firstDay = operatorDateDaysBefore(now, historyDays + DEMO_PROGRAMME_DAYS);
  const start = new Date(`${firstDay}T08:00:00${OPERATOR_UTC_OFFSET}`);
  const rows = (await db.query<{ customer: unknown; score: unknown }>(ACTIVE_ROWS)).map((r) => ({
    customer: Customer.parse(r.customer),
    score: CustomerScore.parse(r.score),
  }));
  const programmes = catalogueProgrammes.map((p) => ({ ...p, offers: catalogue.filter((o) => p.offerIds.includes(o.id)) }));
  const eligible = rows.map(({ customer, score }): RetentionProgramme[] => {
    if (!isWarned(score)) return [];
    const facts = eligibilityFacts({ customer, signals: customerSignals(customer, start) }, score);
    return programmes.filter((p) => p.offers.some((offer) => evaluateRule(offer.eligibility, facts).eligible)).map((p) => p.programme);
  });
  const pilot = learningPilot(eligible);
  // The programmes and offers as they ran: the pilot's with its larger hold-out, so its control customers are not made them.
  const asRun = (programme: RetentionProgramme) => (programme.id === pilot?.id ? pilot : programme);
  const offers = catalogue.map((offer) => (offer.programme == null ? offer : { ...offer, programme: asRun(offer.programme) }));

  const assignments: object[] = [];
  const members: Member[] = [];
  rows.forEach(({ customer, score }, i) => {
    const joined = (eligible[i] as RetentionProgramme[]).map(asRun);
    const all = pilot === null || joined.some((p) => p.id === pilot.id) ? joined : [...joined, pilot];
    if (all.length === 0) return;
    for (const programme of all)
      assignments.push({
        programmeId: programme.id,
        customerId: customer.id,
        arm: assignedArm(customer.id, programme),
        exemptBy: holdOutExemption(customer, programme),
        controlShare: programme.controlShare,
      });
    members.push({ customer, score, called: joined.length > 0 && !joined.every((programme) => isHeldOut(customer, programme)) });
  });

  const random = seededRandom(seed ^ SEED_SALT, start.getTime() / DAY_MS);
  const outcomes: Outcome[] = [];
  /** Day index from which the hazard is changed, and by how much. */
  const effects = new Map<string, { fromDay: number; factor: number }>();
  for (const member of members) {
    if (!member.called || !random.chance(REACHED_SHARE)) continue;
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
    const answer = callAnswer(customer, start, offer, random);
    if (answer.factor !== 1) effects.set(customer.id, { fromDay: day, factor: answer.factor });
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
        result: answer.accepted ? 'accepted' : 'declined',
        callbackAt: null,
        declineReason: answer.accepted ? null : 'no_need',
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
      if (!leaving.chance(Math.min(1, daily * factor))) continue;
      leavers.push({ ...customer, status: 'churned', churnDate: operatorDateDaysBefore(new Date(start.getTime() + day * DAY_MS)) });
      break;
    }
  }

  const bundle = await readScoringBundleJson(db);
  const scoring = bundle === null ? null : ScoringBundle.parse(JSON.parse(bundle.json));
  const upliftModels = await db.transaction(async (tx) => {
    await dropKeptScoresReaching(tx, firstDay);
    await tx.query(INSERT_ASSIGNMENTS, [JSON.stringify(assignments), start.toISOString()]);
    await recordAsTheirAgents(tx, outcomes, now, DEMO_PROGRAMMES_DEVICE);
    await upsertCustomers(tx, leavers);
    if (scoring === null) return [];
    await upsertScores(
      tx,
      leavers.map((c) => ({ ...rescoreCustomer(c, scoring, now), version: 1 })),
    );
    // Published again as it was: publishing fits the uplift models of programmes with enough data (the pilot's).
    const { model, lifecycle, value, calibration } = scoring;
    await publishScoringBundle(tx, { model, lifecycle, value, calibration }, now);
    return ScoringBundle.parse(JSON.parse((await readScoringBundleJson(tx))!.json)).upliftModels ?? [];
  });
  return {
    assigned: assignments.length,
    outcomes: outcomes.length,
    leavers: leavers.length,
    ...(pilot === null ? {} : { pilot: pilot.id }),
    upliftModels: upliftModels.map((m) => m.programmeId),
  };
}

/** The programme with the most eligible members (ties by id), as run: half its customers held out. */
function learningPilot(eligible: readonly (readonly RetentionProgramme[])[]): RetentionProgramme | null {
  const members = new Map<string, { programme: RetentionProgramme; count: number }>();
  for (const joined of eligible)
    for (const programme of joined) {
      const entry = members.get(programme.id) ?? { programme, count: 0 };
      entry.count++;
      members.set(programme.id, entry);
    }
  const [most] = [...members.values()].sort((a, b) => b.count - a.count || a.programme.id.localeCompare(b.programme.id));
  return most === undefined ? null : { ...most.programme, controlShare: MAX_CONTROL_SHARE };
}

/**
 * Whether a reached customer accepts the card's offer, and what the call does to their hazard: for a
 * retention offer, as the simulation's truth has it per segment; otherwise the card's P(accept) and
 * the accepted offer's effect.
 */
function callAnswer(
  customer: Customer,
  at: Date,
  offer: { kind: Offer['kind']; pAccept: number },
  random: SeededRandom,
): { accepted: boolean; factor: number } {
  if (offer.kind !== 'retention') {
    const accepted = random.chance(offer.pAccept);
    return { accepted, factor: accepted ? (HAZARD_AFTER_ACCEPTING[offer.kind] ?? 1) : 1 };
  }
  const truth = SEGMENT_TRUTH[truthSegmentOf(customer, customerSignals(customer, at), PRICE_SENSITIVE_PLANS.has(customer.planCode))];
  const accepted = random.chance(truth.pAccept);
  return { accepted, factor: truth.callFactor * (accepted ? (HAZARD_AFTER_ACCEPTING.retention ?? 1) : 1) };
}
