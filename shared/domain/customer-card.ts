// Assembles the card the agent sees from cached rows. Pure: the cache query hands it the
// rows it read in one go, and the same function serves a ringing call and a counter search.
import type { Customer, ContactHistory, CustomerScore, Offer, OfferStats, Reason } from '../contract/entities';
import type { CardOffer, CardOutcome, CustomerCard } from '../contract/desk-api';
import type { ContactChannel } from '../contract/outcomes';
import type { Assessment } from '../analytics/assess-customer';
import { customerSignals, type CustomerSignals } from '../analytics/customer-signals';
import { customerUplift } from '../analytics/uplift/customer-uplift';
import type { CompiledUpliftModel } from '../analytics/uplift/uplift-model';
import { DEFAULT_LIFECYCLE_CONFIG } from '../analytics/lifecycle/lifecycle-config';
import { decideLifecycleStage } from '../analytics/lifecycle/lifecycle-stage';
import { arbitrate, type Decision } from '../offers/arbitrate';
import { grievancePhrases, likelyObjections, networkProblemPhrases, riskReasonPhrases, tenurePhrases } from '../offers/churn-reasons';
import { contactLog } from '../offers/contact-policy';
import { eligibilityFacts, type CardAssessment } from '../offers/eligibility-facts';
import { offersNotHeldOut } from '../programmes/control-group';
import { maskIdNumber, maskPhone } from './masking';
import { renderScript, type ScriptFacts, type ScriptLanguage } from './script-template';

/** How many past offers a card shows, newest first. */
export const RECENT_OUTCOME_COUNT = 5;

/**
 * What seeds the Thompson draw, on a desk and on the server alike: the call id, so one call always
 * ranks the same; without a call, the customer (or number) and the day, so a lookup is stable within the day.
 */
export const explorationSeed = (callId: string | null, who: string, now: Date): string => callId ?? `${who}:${now.toISOString().slice(0, 10)}`;

/** Newest first; outcomes recorded in the same millisecond by id, as the stores order them. */
export const newestOutcomeFirst = (a: CardOutcome, b: CardOutcome): number =>
  a.recordedAt === b.recordedAt ? b.outcomeId.localeCompare(a.outcomeId) : b.recordedAt.localeCompare(a.recordedAt);

/**
 * The card's past offers: the outcomes the caller holds (with their notes and upload state) and the
 * customer's synced contact history (every desk's outcomes, without notes), one entry per outcome,
 * newest first. Without the history a desk's cached card showed only outcomes recorded on that desk.
 */
function recentOutcomesOf(held: readonly CardOutcome[], history: ContactHistory | null): CardOutcome[] {
  const heldIds = new Set(held.map((outcome) => outcome.outcomeId));
  const fromHistory = (history?.contacts ?? [])
    .filter((contact) => !heldIds.has(contact.outcomeId))
    .map(({ outcomeId, at, result, offerId, channel }): CardOutcome => ({
      outcomeId,
      // Offsets allowed in the history would sort wrongly as strings: the same instant in UTC, as held outcomes are written.
      recordedAt: new Date(at).toISOString(),
      result,
      offerId,
      channel,
      note: '',
      syncState: 'synced',
    }));
  // By time only: the sort is stable, so the held outcomes keep the order their store gave them.
  return [...held, ...fromHistory].sort((a, b) => b.recordedAt.localeCompare(a.recordedAt)).slice(0, RECENT_OUTCOME_COUNT);
}

export interface CardRows {
  phone: string;
  customer: Customer | null;
  /** The synced score; when absent the card is assessed locally from the customer row. */
  score: CustomerScore | null;
  offers: readonly Offer[];
  /** Acceptance counts per offer id (the offer_stats the desk has synced). */
  offerStats: ReadonlyMap<string, OfferStats>;
  /** The customer's recent contacts on every desk; null for a prospect or before it syncs. */
  contactHistory: ContactHistory | null;
  recentOutcomes: readonly CardOutcome[];
  /** How the customer is being contacted: the contact policy differs for outbound calls. */
  channel: ContactChannel;
  /** Seeds the Thompson draw (the call id, or a lookup id): the same seed ranks the same. */
  explorationSeed: string;
  now: Date;
  /** The retention programmes' uplift models with enough data (from the scoring bundle); none: today's rule. */
  upliftModels?: readonly CompiledUpliftModel[];
}

const PROSPECT: Assessment = {
  modelVersion: 'prospect',
  stage: 'prospect',
  stageReasons: [{ code: 'not_a_subscriber', params: {} }],
  valueTier: 'bronze',
  clv: 0,
  arpu3m: 0,
  rfm: null,
  personalKeyCustomer: false,
  churnProbability: 0,
  warningLevel: 'none',
  topReasons: [],
};

export const UNSCORED_MODEL_VERSION = 'unscored';

/**
 * A customer whose score has not synced yet: the lifecycle rules still place them (without
 * the churn probability), while value and risk stay unknown rather than guessed.
 */
function assessUnscored(customer: Customer, signals: CustomerSignals): Assessment {
  const stage = decideLifecycleStage(customer, signals, null, DEFAULT_LIFECYCLE_CONFIG);
  return {
    ...PROSPECT,
    modelVersion: `${UNSCORED_MODEL_VERSION} · ${stage.configVersion}`,
    stage: stage.stage,
    stageReasons: stage.reasons,
    arpu3m: signals.arpu3m,
  };
}

function cardAssessment(assessment: Assessment, known: boolean, scored: boolean): CardAssessment {
  return {
    modelVersion: assessment.modelVersion,
    stage: assessment.stage,
    stageReasons: assessment.stageReasons,
    valueTier: scored ? assessment.valueTier : null,
    clv: scored ? assessment.clv : null,
    arpu3m: known ? assessment.arpu3m : null,
    rfm: assessment.rfm,
    personalKeyCustomer: assessment.personalKeyCustomer,
    churnProbability: scored ? assessment.churnProbability : null,
    warningLevel: assessment.warningLevel,
    topReasons: assessment.topReasons,
  };
}

/** What a script may say about the customer, in each language, with the name of the offer it is for. */
export function scriptFactsOf(
  customer: Customer | null,
  signals: CustomerSignals | null,
  topReasons: readonly Reason[],
): (lang: ScriptLanguage, offerName?: string) => ScriptFacts {
  const riskReason = riskReasonPhrases(topReasons);
  const grievance = customer === null ? null : grievancePhrases(customer);
  const networkProblems = customer === null ? null : networkProblemPhrases(customer.networkIssues90d);
  // "0 months" says nothing: a brand-new customer's script leaves the tenure out.
  const tenure = signals === null || signals.tenureMonths === 0 ? null : tenurePhrases(signals.tenureMonths);
  return (lang, offerName) => ({
    name: customer?.name,
    tenureMonths: signals?.tenureMonths,
    tenure: tenure?.[lang],
    planName: customer?.planName[lang],
    monthlyFee: customer?.monthlyFee,
    riskReason: riskReason?.[lang],
    grievance: grievance?.[lang],
    networkProblems: networkProblems?.[lang],
    offerName,
  });
}

/** What a decision needs of the card's rows: all but the number the card shows masked. */
export type DecisionRows = Omit<CardRows, 'phone'>;

/** The card's assessment and arbitration (offers ranked, decision made), before its scripts are written. */
function arbitrateCard(rows: DecisionRows) {
  const { customer, now } = rows;
  const signals = customer === null ? null : customerSignals(customer, now);
  const assessment =
    customer === null || signals === null
      ? cardAssessment(PROSPECT, false, false)
      : cardAssessment(rows.score ?? assessUnscored(customer, signals), true, rows.score !== null);
  const facts = eligibilityFacts(customer === null || signals === null ? null : { customer, signals }, assessment);

  const arbitration = arbitrate({
    // A retention programme's control group is not made its offers (the card says nothing of it).
    offers: offersNotHeldOut(rows.offers, customer),
    facts,
    assessment,
    offerStats: rows.offerStats,
    contacts: contactLog(rows.contactHistory, rows.recentOutcomes),
    channel: rows.channel,
    explorationSeed: rows.explorationSeed,
    now,
    uplift: customer === null || signals === null ? undefined : customerUplift(rows.upliftModels ?? [], customer, signals),
  });
  return { signals, assessment, arbitration };
}

/**
 * The decision of the card these rows make, as buildCustomerCard decides it, without writing the
 * offers' scripts: for a caller that reads only the decision of many cards (the outbound queue).
 */
export const cardDecision = (rows: DecisionRows): Decision => arbitrateCard(rows).arbitration.decision;

export function buildCustomerCard(rows: CardRows): CustomerCard {
  const { customer } = rows;
  const { signals, assessment, arbitration } = arbitrateCard(rows);

  const likely = likelyObjections(assessment.topReasons);
  const customerFacts = scriptFactsOf(customer, signals, assessment.topReasons);
  const offers = arbitration.offers.map(({ offer, pAccept, value, expectedValue, explored, why }): CardOffer => ({
    offerId: offer.id,
    kind: offer.kind,
    name: offer.name,
    expectedValue,
    pAccept,
    value,
    cost: offer.costYuan,
    contactCost: offer.contactCostYuan,
    explored,
    experiment: offer.experiment,
    why,
    script: {
      zh: renderScript(offer.script, customerFacts('zh', offer.name.zh), 'zh', likely),
      en: renderScript(offer.script, customerFacts('en', offer.name.en), 'en', likely),
    },
  }));

  return {
    kind: customer === null ? 'prospect' : 'known',
    phoneMasked: maskPhone(rows.phone),
    customer:
      customer === null || signals === null
        ? null
        : {
            id: customer.id,
            name: customer.name,
            planName: customer.planName,
            monthlyFee: customer.monthlyFee,
            tenureMonths: signals.tenureMonths,
            status: customer.status,
            contractEnd: customer.contractEnd,
            idNumberMasked: maskIdNumber(customer.idNumber),
          },
    assessment,
    segment: arbitration.segment,
    decision: arbitration.decision,
    offers,
    suppressed: arbitration.suppressed.map(({ offer, reason }) => ({ offerId: offer.id, name: offer.name, reason })),
    // Named from the whole catalogue: a past offer may no longer be on this card.
    recentOutcomes: recentOutcomesOf(rows.recentOutcomes, rows.contactHistory).map((outcome) => ({
      ...outcome,
      offerName: rows.offers.find((offer) => offer.id === outcome.offerId)?.name ?? null,
    })),
  };
}
