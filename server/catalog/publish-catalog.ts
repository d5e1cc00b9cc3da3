// Publishes the authored catalogue to the synced offers table in one transaction: offers whose
// content changed (or that are new, or were retired before) are upserted, so the change log bumps
// their version; offers no longer in the files are tombstoned; unchanged offers are not written,
// so desks pull nothing for them.
import type { CatalogOffer } from '../../shared/offers/offer-catalog';
import type { SqlClient } from '../db/sql-client';
import { deleteSyncedRow, lockChangeLog, upsertOffers } from '../sync/change-log';

export interface CatalogPublication {
  upserted: string[];
  retired: string[];
  unchanged: number;
}

// jsonb equality ignores key order and number spelling, so "same content" needs no canonical form.
const UNCHANGED_IDS = `SELECT o.id FROM offers o JOIN jsonb_array_elements($1::jsonb) AS d ON o.id = d->>'id'
  WHERE NOT o.deleted AND (o.data - 'version') = d`;
const LIVE_IDS = `SELECT id FROM offers WHERE NOT deleted`;

export async function publishCatalog(db: SqlClient, offers: readonly CatalogOffer[]): Promise<CatalogPublication> {
  return db.transaction(async (tx) => {
    // Taken before the comparison, so two instances starting together publish one after the other.
    await lockChangeLog(tx);
    const unchanged = new Set((await tx.query<{ id: string }>(UNCHANGED_IDS, [JSON.stringify(offers)])).map((r) => r.id));
    const changed = offers.filter((o) => !unchanged.has(o.id));
    // The version written is a placeholder: the change log owns it (1 on insert, +1 on every write).
    await upsertOffers(
      tx,
      changed.map((o) => ({ ...o, version: 1 })),
    );

    const authored = new Set(offers.map((o) => o.id));
    const retired = (await tx.query<{ id: string }>(LIVE_IDS)).map((r) => r.id).filter((id) => !authored.has(id));
    for (const id of retired) await deleteSyncedRow(tx, 'offer', id);
    return { upserted: changed.map((o) => o.id), retired, unchanged: unchanged.size };
  });
}
