// Champion / challenger results for the supervisor report: each experiment's champion against
// each challenger, from the offers' priors and the acceptance counts learned so far.
import type { Offer, OfferStats } from '../contract/entities';
import type { ArmResult, ExperimentResult } from '../contract/supervisor-reports';
import { betaInterval, betaMean, betaPosterior, probabilityBeats, type AcceptanceCounts, type BetaParams } from './beta';

export type ExperimentOffer = Pick<Offer, 'id' | 'priorAcceptance' | 'experiment'>;

/** An offer's counts over every segment. */
export function totalCounts(stats: OfferStats | undefined): AcceptanceCounts {
  let presented = 0;
  let accepted = 0;
  for (const segment of Object.values(stats?.segments ?? {})) {
    presented += segment.presented;
    accepted += segment.accepted;
  }
  return { presented, accepted };
}

function armResult(offer: ExperimentOffer, stats: OfferStats | undefined): { arm: ArmResult; posterior: BetaParams } {
  const counts = totalCounts(stats);
  const posterior = betaPosterior(offer.priorAcceptance, counts);
  return { arm: { offerId: offer.id, ...counts, rate: betaMean(posterior), interval: betaInterval(posterior) }, posterior };
}

/**
 * One result per experiment id, sorted by id, challengers by offer id. An experiment without
 * exactly one champion (the catalogue check rejects such files) has nothing to compare against
 * and is left out.
 */
export function experimentResults(offers: readonly ExperimentOffer[], statsByOfferId: ReadonlyMap<string, OfferStats>): ExperimentResult[] {
  const groups = new Map<string, ExperimentOffer[]>();
  for (const offer of offers) {
    if (offer.experiment === null) continue;
    const group = groups.get(offer.experiment.id) ?? [];
    group.push(offer);
    groups.set(offer.experiment.id, group);
  }
  const results: ExperimentResult[] = [];
  for (const [experimentId, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const champions = group.filter((o) => o.experiment?.arm === 'champion');
    if (champions.length !== 1) continue;
    const champion = armResult(champions[0]!, statsByOfferId.get(champions[0]!.id));
    const challengers = group
      .filter((o) => o.experiment?.arm === 'challenger')
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((offer) => {
        const challenger = armResult(offer, statsByOfferId.get(offer.id));
        return { ...challenger.arm, probabilityBeatsChampion: probabilityBeats(champion.posterior, challenger.posterior) };
      });
    results.push({ experimentId, champion: champion.arm, challengers });
  }
  return results;
}
