// A seeded simulation of the learning loop: the card presents its top offer, the customer accepts
// with the offer's true (unknown) rate, the counts flow back into offer_stats, and Thompson
// sampling shifts the presentations to the better offer.
import { describe, expect, it } from 'vitest';
import type { OfferStats } from '../../shared/contract/entities';
import { customerSignals } from '../../shared/analytics/customer-signals';
import { seededRandom } from '../../shared/analytics/random';
import { arbitrate } from '../../shared/offers/arbitrate';
import { betaPosterior, probabilityBeats } from '../../shared/offers/beta';
import { contactLog } from '../../shared/offers/contact-policy';
import { eligibilityFacts } from '../../shared/offers/eligibility-facts';
import { NOW, assessment, customer, offer, stats } from './fixtures';

const TRUE_RATE: Record<string, number> = { better: 0.3, worse: 0.18 };
const CALLS = 2000;
const LAST = 500;

describe('Thompson sampling', () => {
  // Fixed seeds: one run in a dozen or so stops just short of P > 0.95 (the worse offer gets
  // too few presentations to be ruled out that firmly), so a random seed would make this flaky.
  it.each([1, 2, 3, 4])('converges to the better of two offers (seed %i)', (seed) => {
    const offers = Object.keys(TRUE_RATE).map((id) => offer(id, { priorAcceptance: { alpha: 1, beta: 1 } }));
    const c = customer();
    const card = assessment();
    const facts = eligibilityFacts({ customer: c, signals: customerSignals(c, NOW) }, card);
    const counts = new Map(offers.map((o) => [o.id, { presented: 0, accepted: 0 }]));
    const customers = seededRandom(seed);
    const presented: string[] = [];

    for (let call = 0; call < CALLS; call++) {
      const offerStats = new Map<string, OfferStats>([...counts].map(([id, n]) => [id, stats(id, { 'C/gold': { ...n } })]));
      const top = arbitrate({
        offers,
        facts,
        assessment: card,
        offerStats,
        contacts: contactLog(null, []),
        channel: 'hotline',
        explorationSeed: `run-${seed}-call-${call}`,
        now: NOW,
      }).offers[0]!;
      const n = counts.get(top.offer.id)!;
      n.presented++;
      if (customers.float() < TRUE_RATE[top.offer.id]!) n.accepted++;
      presented.push(top.offer.id);
    }

    const betterShare = presented.slice(-LAST).filter((id) => id === 'better').length / LAST;
    expect(betterShare).toBeGreaterThan(0.8);
    const posterior = (id: string) => betaPosterior({ alpha: 1, beta: 1 }, counts.get(id));
    expect(probabilityBeats(posterior('worse'), posterior('better'))).toBeGreaterThan(0.95);
  });
});
