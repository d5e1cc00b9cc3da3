// Next-best-offer arbitration: which eligible offers the card proposes, in what order, and the
// decision they add up to (retain, let go, grow, win back, acquire, care or nothing).
import { seededRandom } from '../analytics/random';
import type { CustomerCard } from '../contract/desk-api';
import type { Offer, OfferKind, OfferStats, Reason } from '../contract/entities';
import type { Channel } from '../contract/outcomes';
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
  channel: Channel;
  /** E.g. the call id: the same seed always ranks the same way. */
  explorationSeed: string;
  now: Date;
}

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

/** `why` starts as the rule's matched comparisons and gains the value's explanation. */
function candidate(offer: Offer, why: Reason[], segment: string, atRisk: number | null, input: ArbitrationInput): Candidate {
  const posterior = betaPosterior(offer.priorAcceptance, input.offerStats.get(offer.id)?.segments[segment]);
  let value = offer.valueYuan;
  if (offer.valueBasis === 'customer_value') {
    value = atRisk ?? 0;
    why.push(
      atRisk === null
        ? { code: 'customer_value_unknown', params: {} }
        : { code: 'value_at_risk', params: { yuan: atRisk, churnPct: shownPercent(input.assessment.churnProbability ?? 0), clv: input.assessment.clv ?? 0 } },
    );
  }
  const margin = value - offer.costYuan;
  const pAccept = betaMean(posterior);
  const exactExpectedValue = pAccept * margin - offer.contactCostYuan;
  const draw = sampleBeta(posterior, seededRandom(seedFromString(`${input.explorationSeed}\u0000${offer.id}`)));
  return { offer, pAccept, value, expectedValue: round2(exactExpectedValue), exactExpectedValue, sampledValue: draw * margin - offer.contactCostYuan, why };
}

/** The offer kinds the situation calls for first, given the customer's stage and risk. */
function leadKinds(facts: EligibilityFacts): readonly OfferKind[] {
  if (facts.stage === 'prospect') return ['acquisition'];
  if (facts.stage === 'E') return ['winback'];
  return ['upsell', 'crosssell'];
}

const isWarned = (facts: EligibilityFacts) => facts.warningLevel !== 'none' && facts.stage !== 'prospect' && facts.stage !== 'E';

function ordered(candidates: readonly Candidate[], lead: readonly OfferKind[], score: (c: Candidate) => number): Candidate[] {
  const rank = (c: Candidate) => (lead.includes(c.offer.kind) ? 0 : 1);
  return [...candidates].sort((a, b) => rank(a) - rank(b) || score(b) - score(a) || a.offer.id.localeCompare(b.offer.id));
}

/**
 * Save or let go for a warned customer: retain when some retention offer is worth more than it
 * costs on average (EV > 0); otherwise let the customer go gracefully, with a care offer first.
 */
function saveOrLetGo(candidates: Candidate[]): { kind: 'retain' | 'let_go'; reason: Reason; lead: readonly OfferKind[]; kept: Candidate[] } {
  const retention = candidates.filter((c) => c.offer.kind === 'retention');
  const best = retention.reduce<Candidate | null>((top, c) => (top === null || c.exactExpectedValue > top.exactExpectedValue ? c : top), null);
  if (best !== null && best.exactExpectedValue > 0) {
    return { kind: 'retain', reason: { code: 'retention_pays', params: { offerId: best.offer.id, expectedValue: best.expectedValue } }, lead: ['retention'], kept: candidates };
  }
  return {
    kind: 'let_go',
    reason: best === null ? { code: 'no_retention_offer', params: {} } : { code: 'retention_does_not_pay', params: { offerId: best.offer.id, expectedValue: best.expectedValue } },
    lead: ['care'],
    kept: candidates.filter((c) => c.offer.kind !== 'retention'),
  };
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
    const block = contactPolicyBlock(offer, facts, input.channel, input.contacts, input.now);
    if (block !== null) suppressed.push({ offer, reason: block });
    else candidates.push(candidate(offer, verdict.matched, segment, atRisk, input));
  }

  let lead = leadKinds(facts);
  let decided: { kind: DecisionKind; reason: Reason } | null = null;
  if (isWarned(facts)) {
    const verdict = saveOrLetGo(candidates);
    ({ lead, kept: candidates } = verdict);
    decided = verdict;
  }

  const byDraw = ordered(candidates, lead, (c) => c.sampledValue);
  const byMean = ordered(candidates, lead, (c) => c.exactExpectedValue);
  const offers = byDraw.slice(0, CARD_OFFER_COUNT).map(({ offer, pAccept, value, expectedValue, why }, i) => ({
    offer,
    pAccept,
    value,
    expectedValue,
    explored: byMean[i] !== byDraw[i],
    why,
  }));

  const first = offers[0];
  let decision: Decision;
  if (decided !== null) decision = { kind: decided.kind, reasons: [decided.reason] };
  else if (first === undefined) decision = { kind: 'none', reasons: [{ code: 'no_eligible_offer', params: { suppressed: suppressed.length } }] };
  else decision = { kind: KIND_DECISION[first.offer.kind], reasons: [{ code: 'best_offer', params: { offerId: first.offer.id, expectedValue: first.expectedValue } }] };
  return { segment, decision, offers, suppressed };
}
