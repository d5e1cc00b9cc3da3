// Next-best-offer arbitration: which eligible offers the card proposes, in what order, and the
// decision they add up to (retain, let go, grow, win back, acquire, care or nothing). A retention
// offer of a programme whose uplift model has enough data is valued by what a call is expected to
// change (uplift × CLV), not by what the customer is worth at risk (churn probability × CLV); a
// customer the model expects a retention call to put off is made no retention offer.
import { seededRandom } from '../analytics/random';
import type { CustomerCard } from '../contract/desk-api';
import type { Offer, OfferKind, OfferStats, Reason } from '../contract/entities';
import type { ContactChannel } from '../contract/outcomes';
import { betaMean, betaPosterior, sampleBeta } from './beta';
import { contactPolicyBlock, type ContactLog } from './contact-policy';
import type { CardAssessment, EligibilityFacts } from './eligibility-facts';
import { evaluateRule } from './evaluate-rule';
import { seedFromString } from './exploration-seed';
import { segmentOf } from './segments';
import { shownPercent } from '../domain/probability';

/**
 * The contact policy's per-call cap: at most this many offers on one card, so the agent makes
 * one focused recommendation with two fallbacks instead of reading out a catalogue.
 */
export const CARD_OFFER_COUNT = 3;

export type Decision = CustomerCard['decision'];
export type DecisionKind = Decision['kind'];

export interface ArbitrationInput {
  offers: readonly Offer[];
  facts: EligibilityFacts;
  assessment: CardAssessment;
  /** Acceptance counts per offer id. */
  offerStats: ReadonlyMap<string, OfferStats>;
  contacts: ContactLog;
  channel: ContactChannel;
  /** E.g. the call id: the same seed always ranks the same way. */
  explorationSeed: string;
  now: Date;
  /** This customer's expected uplift by programme id, for the programmes whose uplift model has enough data. */
  uplift?: ReadonlyMap<string, ProgrammeUplift>;
}

export interface ProgrammeUplift {
  /** Expected reduction in churn probability from a retention call (negative: the call puts the customer off). */
  uplift: number;
  /** Below this the customer is not made the programme's retention offers. */
  harmThreshold: number;
}

/** Which rule valued an offer: the programme's uplift model, or the customer's churn risk (today's rule). */
export type RankingRule = 'uplift' | 'risk';

export interface RankedOffer {
  offer: Offer;
  /** Posterior mean of P(accept) in the customer's segment. */
  pAccept: number;
  value: number;
  /** pAccept × (value − cost) − contact cost, yuan, rounded to fen. */
  expectedValue: number;
  /** True when the Thompson draw, not the posterior mean, put the offer in its place. */
  explored: boolean;
  why: Reason[];
}

export interface Arbitration {
  segment: string;
  decision: Decision;
  /** At most CARD_OFFER_COUNT, best first. */
  offers: RankedOffer[];
  suppressed: { offer: Offer; reason: Reason }[];
}

interface Candidate extends Omit<RankedOffer, 'explored'> {
  exactExpectedValue: number;
  sampledValue: number;
}

const KIND_DECISION: Record<OfferKind, DecisionKind> = {
  retention: 'retain',
  upsell: 'grow',
  crosssell: 'grow',
  winback: 'win_back',
  care: 'care',
  acquisition: 'acquire',
};

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Churn probability × CLV, yuan; null when the customer is a prospect or not scored yet. */
export function valueAtRisk(assessment: CardAssessment): number | null {
  return assessment.churnProbability === null || assessment.clv === null ? null : round2(assessment.churnProbability * assessment.clv);
}

function isValidOn(offer: Offer, today: string): boolean {
  return offer.validFrom <= today && (offer.validTo === null || offer.validTo >= today);
}

const upliftPoints = (uplift: number) => Math.round(uplift * 1000) / 10;

/** The programme's uplift for this customer when it decides a retention offer's value (CLV known), else null. */
function upliftFor(offer: Offer, input: ArbitrationInput): ProgrammeUplift | null {
  if (offer.kind !== 'retention' || offer.programme == null || input.assessment.clv === null) return null;
  return input.uplift?.get(offer.programme.id) ?? null;
}

/** Why a retention offer is not made: the programme's model expects the call to put the customer off. */
function harmOf(offer: Offer, input: ArbitrationInput): Reason | null {
  const uplift = upliftFor(offer, input);
  return uplift !== null && uplift.uplift < uplift.harmThreshold ? { code: 'contact_harms', params: { upliftPts: upliftPoints(uplift.uplift) } } : null;
}

/** The rule that valued an offer, read off its reasons (the card carries them). */
export function rankingRuleOf(why: readonly Reason[]): RankingRule | null {
  if (why.some((r) => r.code === 'value_by_uplift')) return 'uplift';
  return why.some((r) => r.code === 'value_at_risk') ? 'risk' : null;
}

/** `why` starts as the rule's matched comparisons and gains the value's explanation. */
function candidate(offer: Offer, why: Reason[], segment: string, atRisk: number | null, input: ArbitrationInput): Candidate {
  const posterior = betaPosterior(offer.priorAcceptance, input.offerStats.get(offer.id)?.segments[segment]);
  const pAccept = betaMean(posterior);
  const uplift = upliftFor(offer, input);
  let value = offer.valueYuan;
  if (uplift !== null) {
    // The uplift is the effect of making the call, acceptances included: per acceptance it is
    // worth uplift × CLV ÷ P(accept), so the expected value is uplift × CLV less the costs.
    const perCall = round2(uplift.uplift * (input.assessment.clv ?? 0));
    value = pAccept > 0 ? perCall / pAccept : 0;
    why.push({ code: 'value_by_uplift', params: { yuan: perCall, upliftPts: upliftPoints(uplift.uplift), clv: input.assessment.clv ?? 0 } });
  } else if (offer.valueBasis === 'customer_value') {
    value = atRisk ?? 0;
    why.push(
      atRisk === null
        ? { code: 'customer_value_unknown', params: {} }
        : { code: 'value_at_risk', params: { yuan: atRisk, churnPct: shownPercent(input.assessment.churnProbability ?? 0), clv: input.assessment.clv ?? 0 } },
    );
  }
  const margin = value - offer.costYuan;
  const exactExpectedValue = pAccept * margin - offer.contactCostYuan;
  const draw = sampleBeta(posterior, seededRandom(seedFromString(`${input.explorationSeed}\u0000${offer.id}`)));
  return {
    offer,
    pAccept,
    value: round2(value),
    expectedValue: round2(exactExpectedValue),
    exactExpectedValue,
    sampledValue: draw * margin - offer.contactCostYuan,
    why,
  };
}

/** The decision's reason when the uplift model expects a retention call to put the customer off: the outbound queue skips them. */
export const RETENTION_CALL_HARMS = 'retention_call_harms';

/** True when a card's decision says a retention call would put the customer off (a "sleeping dog"). */
export const retentionCallHarms = (decision: { reasons: readonly Reason[] }): boolean => decision.reasons.some((r) => r.code === RETENTION_CALL_HARMS);

const isWarned = (facts: EligibilityFacts) => facts.warningLevel !== 'none' && facts.stage !== 'prospect' && facts.stage !== 'E';
const isCare = (c: Candidate) => c.offer.kind === 'care';

const rankOf = (c: Candidate, lead: OfferKind | null) => (c.offer.kind === lead ? 0 : isCare(c) ? 2 : 1);

/**
 * Value offers by score (the draw or the mean), care actions after them; the decision's lead kind
 * (retention when retention pays, care when the customer is let go) goes first.
 */
function ordered(candidates: readonly Candidate[], lead: OfferKind | null, score: (c: Candidate) => number): Candidate[] {
  return [...candidates].sort((a, b) => rankOf(a, lead) - rankOf(b, lead) || score(b) - score(a) || a.offer.id.localeCompare(b.offer.id));
}

/**
 * Save or let go for a warned customer: retain when some retention offer is worth more than it
 * costs on average (EV > 0); otherwise let the customer go gracefully, with a care offer first
 * (and, when the uplift model held every retention offer back, say that a call would put them off).
 */
function saveOrLetGo(
  candidates: Candidate[],
  harmed: readonly { offer: Offer; reason: Reason }[],
): { kind: 'retain' | 'let_go'; reason: Reason; lead: OfferKind; kept: Candidate[] } {
  const retention = candidates.filter((c) => c.offer.kind === 'retention');
  const best = retention.reduce<Candidate | null>((top, c) => (top === null || c.exactExpectedValue > top.exactExpectedValue ? c : top), null);
  if (best !== null && best.exactExpectedValue > 0) {
    return {
      kind: 'retain',
      reason: { code: 'retention_pays', params: { offerId: best.offer.id, expectedValue: best.expectedValue } },
      lead: 'retention',
      kept: candidates,
    };
  }
  return {
    kind: 'let_go',
    reason:
      best !== null
        ? { code: 'retention_does_not_pay', params: { offerId: best.offer.id, expectedValue: best.expectedValue } }
        : harmed[0] !== undefined
          ? { code: RETENTION_CALL_HARMS, params: { offerId: harmed[0].offer.id, upliftPts: harmed[0].reason.params.upliftPts ?? 0 } }
          : { code: 'no_retention_offer', params: {} },
    lead: 'care',
    kept: candidates.filter((c) => c.offer.kind !== 'retention'),
  };
}

/** What a care action costs the operator when it is taken up: the action and the call. */
function careAction(offer: Offer): Reason {
  return { code: 'care_action', params: { offerId: offer.id, yuan: round2(offer.costYuan + offer.contactCostYuan) } };
}

/**
 * Why the first offer is first when it is not the one worth most on average: a care action (the
 * customer is let go gracefully, or nothing else is worth offering), retention ahead of a richer
 * offer because the customer is at risk, or a challenger the draw is trying.
 */
function whyFirst(first: RankedOffer, shown: readonly RankedOffer[], lead: OfferKind | null): Reason[] {
  if (first.offer.kind === 'care') return [{ code: lead === 'care' ? 'first_care_let_go' : 'first_care', params: {} }];
  const richer = shown.find((o) => o.offer.kind !== 'care' && o.expectedValue > first.expectedValue);
  if (richer === undefined) return [];
  // The lead kind goes first only ahead of other kinds: ahead of a richer offer of its own kind, the draw is trying it.
  if (first.offer.kind === lead && richer.offer.kind !== lead)
    return [{ code: 'first_retention', params: { offerId: richer.offer.id, expectedValue: richer.expectedValue } }];
  return [{ code: 'first_exploring', params: { offerId: richer.offer.id, expectedValue: richer.expectedValue } }];
}

export function arbitrate(input: ArbitrationInput): Arbitration {
  const { facts, assessment } = input;
  const segment = segmentOf(assessment.stage, assessment.valueTier);
  const atRisk = valueAtRisk(assessment);
  const today = input.now.toISOString().slice(0, 10);

  let candidates: Candidate[] = [];
  const suppressed: Arbitration['suppressed'] = [];
  for (const offer of input.offers) {
    if (!isValidOn(offer, today)) continue;
    const verdict = evaluateRule(offer.eligibility, facts);
    if (!verdict.eligible) continue;
    const block = contactPolicyBlock(offer, facts, input.channel, input.contacts, input.now) ?? harmOf(offer, input);
    if (block !== null) suppressed.push({ offer, reason: block });
    else candidates.push(candidate(offer, verdict.matched, segment, atRisk, input));
  }

  let lead: OfferKind | null = null;
  let decided: { kind: DecisionKind; reason: Reason } | null = null;
  if (isWarned(facts)) {
    const verdict = saveOrLetGo(
      candidates,
      suppressed.filter((s) => s.reason.code === 'contact_harms'),
    );
    ({ lead, kept: candidates } = verdict);
    decided = verdict;
  }
  // A value offer the draw says cannot pay even this time is not worth the agent's breath (the
  // retention offer the decision names stays: it pays on average).
  const named = decided?.reason.params.offerId;
  candidates = candidates.filter((c) => isCare(c) || c.sampledValue > 0 || c.offer.id === named);

  const byDraw = ordered(candidates, lead, (c) => c.sampledValue).slice(0, CARD_OFFER_COUNT);
  const byMean = ordered(candidates, lead, (c) => c.exactExpectedValue);
  const offers = byDraw.map(({ offer, pAccept, value, expectedValue, exactExpectedValue, why }, i): RankedOffer => {
    // Only the draw shows a value offer that loses money on average: a challenger being tried, and said so.
    const losing = offer.kind !== 'care' && exactExpectedValue <= 0;
    // Tried: the draw put it above where its mean would (an offer it pushed down, or the surest one, is not being tried).
    const explored = byMean.indexOf(byDraw[i]!) > i || losing;
    return { offer, pAccept, value, expectedValue, explored, why: losing ? [{ code: 'tried_at_expected_loss', params: { expectedValue } }, ...why] : why };
  });
  const first = offers[0];
  if (first !== undefined) first.why.unshift(...whyFirst(first, offers, lead));

  let decision: Decision;
  if (decided !== null) decision = { kind: decided.kind, reasons: [decided.reason] };
  else if (first === undefined) decision = { kind: 'none', reasons: [{ code: 'no_eligible_offer', params: { suppressed: suppressed.length } }] };
  else if (first.offer.kind === 'care') decision = { kind: 'care', reasons: [careAction(first.offer)] };
  else
    decision = {
      kind: KIND_DECISION[first.offer.kind],
      reasons: [{ code: 'best_offer', params: { offerId: first.offer.id, expectedValue: first.expectedValue } }],
    };
  return { segment, decision, offers, suppressed };
}
