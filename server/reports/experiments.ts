// Champion / challenger results over the whole catalogue: offer_stats are learnt from every team's
// outcomes, so experiments are not scoped to a team.
import type { OfferStats } from '../../shared/contract/entities';
import type { ExperimentResult } from '../../shared/contract/reports';
import { experimentResults, type ExperimentOffer } from '../../shared/offers/experiment-results';
import type { SqlClient } from '../db/sql-client';

const EXPERIMENT_OFFERS_SQL = `SELECT o.id, o.data->'priorAcceptance' AS prior, o.data->'experiment' AS experiment, s.data AS stats
  FROM offers o LEFT JOIN offer_stats s ON s.offer_id = o.id AND NOT s.deleted
  WHERE NOT o.deleted AND jsonb_typeof(o.data->'experiment') = 'object'`;

interface ExperimentOfferRow {
  id: string;
  prior: ExperimentOffer['priorAcceptance'];
  experiment: ExperimentOffer['experiment'];
  stats: OfferStats | null;
}

export async function experimentsOfCatalogue(db: SqlClient): Promise<ExperimentResult[]> {
  const rows = await db.query<ExperimentOfferRow>(EXPERIMENT_OFFERS_SQL);
  const offers = rows.map((r) => ({ id: r.id, priorAcceptance: r.prior, experiment: r.experiment }));
  const statsByOfferId = new Map(rows.flatMap((r) => (r.stats === null ? [] : [[r.id, r.stats] as const])));
  return experimentResults(offers, statsByOfferId);
}
