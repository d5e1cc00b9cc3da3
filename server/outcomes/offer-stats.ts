// The learning loop's counts: per offer and customer segment, how often it was presented
// (accepted + declined) and accepted. Desks pull them (offer_stats) and update their Beta priors.
import type { OfferStats } from '../../shared/contract/entities';
import type { Outcome } from '../../shared/contract/outcomes';
import type { SqlClient } from '../db/sql-client';
import { lockChangeLogKeys, upsertOfferStats } from '../sync/change-log';

/**
 * Outcomes without a context (desks older than the offer context, or a card without an
 * assessment) still count, under this segment: the offer's pooled counts stay complete, and no
 * real segment is credited with a customer it never saw.
 */
export const UNKNOWN_SEGMENT = '*';

type SegmentCounts = OfferStats['segments'][string];

const SELECT_STATS = `SELECT data FROM offer_stats WHERE NOT deleted AND offer_id = ANY ($1::text[])`;

function countsByOffer(outcomes: readonly Outcome[]): Map<string, Map<string, SegmentCounts>> {
  const byOffer = new Map<string, Map<string, SegmentCounts>>();
  for (const { draft } of outcomes) {
    // Only a presented offer teaches anything: callbacks and not_presented are not counted.
    if (draft.offerId === null || (draft.result !== 'accepted' && draft.result !== 'declined')) continue;
    const segments = byOffer.get(draft.offerId) ?? new Map<string, SegmentCounts>();
    const segment = draft.context?.segment ?? UNKNOWN_SEGMENT;
    const counts = segments.get(segment) ?? { presented: 0, accepted: 0 };
    segments.set(segment, { presented: counts.presented + 1, accepted: counts.accepted + (draft.result === 'accepted' ? 1 : 0) });
    byOffer.set(draft.offerId, segments);
  }
  return byOffer;
}

/** Adds newly stored outcomes to the offers' counts, inside the caller's transaction. */
export async function countOfferPresentations(tx: SqlClient, outcomes: readonly Outcome[], now: Date): Promise<void> {
  const increments = countsByOffer(outcomes);
  if (increments.size === 0) return;
  // Read-modify-write: the rows' locks keep any other writer of these rows out until commit.
  await lockChangeLogKeys(tx, 'offer_stats', [...increments.keys()]);
  const rows = await tx.query<{ data: OfferStats }>(SELECT_STATS, [[...increments.keys()]]);
  const existing = new Map(rows.map((r) => [r.data.offerId, r.data]));
  const updated: OfferStats[] = [...increments].map(([offerId, segmentIncrements]) => {
    const segments = { ...existing.get(offerId)?.segments };
    for (const [segment, add] of segmentIncrements) {
      const counts = segments[segment] ?? { presented: 0, accepted: 0 };
      segments[segment] = { presented: counts.presented + add.presented, accepted: counts.accepted + add.accepted };
    }
    return { offerId, version: existing.get(offerId)?.version ?? 1, segments, updatedAt: now.toISOString() };
  });
  await upsertOfferStats(tx, updated);
}
