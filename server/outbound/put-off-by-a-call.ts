// At-risk customers a retention programme's uplift model expects a call to put off ("sleeping dogs",
// issue 20) are not called. A desk checks the customers it caches on their cards, but lists one it
// does not cache from the server's listing and cannot check it; so the server leaves them out of the
// share itself, by the card a desk would build for the call. A bundle without uplift models cannot
// say so of anyone, and then no card is built.
import { retentionCallHarms } from '../../shared/offers/arbitrate';
import { outboundCardsFromBook } from '../cards/book-card';
import type { SqlClient } from '../db/sql-client';
import type { CurrentScoringBundle } from '../scoring/scoring-bundle-store';

/** Which of `customerIds` a retention call would put off, as their outbound cards decide now. */
export async function putOffByACall(db: SqlClient, currentBundle: CurrentScoringBundle, customerIds: readonly string[], now: Date): Promise<Set<string>> {
  if (customerIds.length === 0 || ((await currentBundle(db))?.upliftModels ?? []).length === 0) return new Set();
  const cards = await outboundCardsFromBook(db, currentBundle, customerIds, now);
  return new Set([...cards].filter(([, card]) => retentionCallHarms(card.decision)).map(([customerId]) => customerId));
}
