// The names of the catalogue's offers, sent with each report so the supervisor reads names, not
// offer ids. The catalogue is a few dozen offers: all of them, whatever the period holds.
import type { OfferNames } from '../../shared/contract/supervisor-reports';
import type { SqlClient } from '../db/sql-client';

// A withdrawn offer's tombstone keeps no name; the desk labels it as withdrawn.
const OFFER_NAMES_SQL = `SELECT coalesce(jsonb_object_agg(id, data->'name' ORDER BY id) FILTER (WHERE jsonb_typeof(data->'name') = 'object'), '{}')::text AS names
  FROM offers`;

/** Offer id -> name, as JSON text (the outcome report's body is assembled as text). */
export async function offerNamesJson(db: SqlClient): Promise<string> {
  const [row] = await db.query<{ names: string }>(OFFER_NAMES_SQL);
  return row?.names ?? '{}';
}

export async function offerNames(db: SqlClient): Promise<OfferNames> {
  return JSON.parse(await offerNamesJson(db)) as OfferNames;
}
