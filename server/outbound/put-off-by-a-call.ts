// At-risk customers a retention programme's uplift model expects a call to put off ("sleeping dogs",
// issue 20) are not called. A desk checks the customers it caches on their cards, but lists one it
// does not cache from the server's listing and cannot check it; so the server leaves them out of the
// share itself, by the decision of the card a desk would open for the call. A bundle without uplift
// models cannot say so of anyone, and then no decision is made.
import { retentionCallHarms } from '../../shared/offers/arbitrate';
import { outboundDecisionsFromBook } from '../cards/book-card';
import type { SqlClient } from '../db/sql-client';
import type { CurrentScoringBundle } from '../scoring/scoring-bundle-store';

/** Which of `customerIds` a retention call would put off, as their outbound cards decide now. */
export async function putOffByACall(db: SqlClient, currentBundle: CurrentScoringBundle, customerIds: readonly string[], now: Date): Promise<Set<string>> {
  if (customerIds.length === 0) return new Set();
  // The bundle's version is read once, here: the decisions are ranked with this bundle's models.
  const bundle = await currentBundle(db);
  if ((bundle?.upliftModels ?? []).length === 0) return new Set();
  const decisions = await outboundDecisionsFromBook(db, bundle, customerIds, now);
  return new Set([...decisions].filter(([, decision]) => retentionCallHarms(decision)).map(([customerId]) => customerId));
}
