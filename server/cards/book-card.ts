// The card of one customer read from the central book, for a desk whose cache scope does not hold
// them (a miss on a screen pop, a lookup, or a card opened by customer id). Built by the same pure
// card builder as the desk's own cards (shared/domain/customer-card.ts), from the same synced
// documents, and audited like them.
import type { CardByPhoneQuery, CardByPhoneResponse, CustomerDocument } from '../../shared/contract/cache-scope';
import type { User } from '../../shared/contract/central-api';
import type { CardOutcome } from '../../shared/contract/desk-api';
import type { ContactChannel } from '../../shared/contract/outcomes';
import type { ContactHistory, Customer, CustomerScore, CustomerUsage, Offer, OfferStats } from '../../shared/contract/entities';
import { CURRENT_SCORING_BUNDLE_ID, type ScoringBundle } from '../../shared/analytics/scoring-bundle';
import { compileUpliftModel, type CompiledUpliftModel } from '../../shared/analytics/uplift/uplift-model';
import { withUsage } from '../../shared/analytics/usage-window';
import { contactChannel } from '../../shared/domain/contact-channel';
import { buildCustomerCard, cardDecision, explorationSeed, RECENT_OUTCOME_COUNT, type DecisionRows } from '../../shared/domain/customer-card';
import type { Decision } from '../../shared/offers/arbitrate';
import { maskIdNumber, maskPhone } from '../../shared/domain/masking';
import { storeCardViews } from '../audit/card-view-audit';
import type { SqlClient } from '../db/sql-client';
import { seesIdNumbers } from '../http/id-number-masking';
import type { CurrentScoringBundle } from '../scoring/scoring-bundle-store';
import { USAGE_WINDOW_JOIN } from '../sync/usage-windows';

interface CustomerRows {
  customer: Customer;
  score: CustomerScore | null;
  contacts: ContactHistory | null;
  usage: CustomerUsage | null;
  outcomes: CardOutcome[];
  offers: Offer[];
  offerStats: Map<string, OfferStats>;
}

/** The published scoring bundle's version, null before the book was first scored. */
type BundleVersion = { bundleVersion: number | null };

/** How a desk names the customer it asks for: by the number (a call, a lookup) or by the customer's id. */
export type CustomerKey = { by: 'phone'; phone: string } | { by: 'customer'; customerId: string };

// The customer's own rows: document, score, contacts, usage and last outcomes.
const CUSTOMER_COLUMNS = `c.data AS customer, s.data AS score, h.data AS contacts, u.data AS usage,
    (SELECT coalesce(json_agg(o ORDER BY o."recordedAt" DESC, o."outcomeId" DESC), '[]'::json) FROM (
       SELECT outcome_id::text AS "outcomeId", recorded_at AS "recordedAt", result, offer_id AS "offerId", channel,
              coalesce(payload->'draft'->>'note', '') AS note, 'synced' AS "syncState"
       FROM outcomes WHERE customer_id = c.id ORDER BY recorded_at DESC, outcome_id DESC LIMIT ${RECENT_OUTCOME_COUNT}) AS o) AS outcomes`;
const CUSTOMER_TABLES = `FROM customers c
  LEFT JOIN scores s ON s.customer_id = c.id AND NOT s.deleted
  LEFT JOIN contact_history h ON h.customer_id = c.id AND NOT h.deleted
  ${USAGE_WINDOW_JOIN}`;
// The offers with their stats.
const OFFER_COLUMNS = `(SELECT coalesce(json_agg(f.data ORDER BY f.id), '[]'::json) FROM offers f WHERE NOT f.deleted) AS offers,
    (SELECT coalesce(json_agg(t.data), '[]'::json) FROM offer_stats t WHERE NOT t.deleted) AS "offerStats"`;
// The version of the scoring bundle the card ranks the offers with.
const BUNDLE_VERSION_COLUMN = `(SELECT b.version FROM scoring_bundles b WHERE b.id = '${CURRENT_SCORING_BUNDLE_ID}') AS "bundleVersion"`;

// One statement, one snapshot: the customer's rows, the offers and the bundle's version.
const customerRowsSql = (keyColumn: 'phone' | 'id') =>
  `SELECT ${CUSTOMER_COLUMNS}, ${OFFER_COLUMNS}, ${BUNDLE_VERSION_COLUMN} ${CUSTOMER_TABLES} WHERE c.${keyColumn} = $1 AND NOT c.deleted`;
const CUSTOMER_ROWS_BY_PHONE_SQL = customerRowsSql('phone');
const CUSTOMER_ROWS_BY_ID_SQL = customerRowsSql('id');
// Many customers: the offers once, not on every customer's row.
const CUSTOMERS_ROWS_SQL = `SELECT ${CUSTOMER_COLUMNS} ${CUSTOMER_TABLES} WHERE c.id = ANY($1::text[]) AND NOT c.deleted`;
const OFFER_ROWS_SQL = `SELECT ${OFFER_COLUMNS}`;

type CustomerOwnRows = Pick<CustomerRows, 'customer' | 'score' | 'contacts' | 'usage' | 'outcomes'>;
type OfferRows = Pick<CustomerRows, 'offers' | 'offerStats'>;
type StoredOfferRows = Omit<OfferRows, 'offerStats'> & { offerStats: OfferStats[] };

const customerRowsOf = (row: CustomerOwnRows): CustomerOwnRows => ({
  ...row,
  outcomes: row.outcomes.map((o) => ({ ...o, recordedAt: new Date(o.recordedAt).toISOString() })),
});
const offerRowsOf = (row: StoredOfferRows): OfferRows => ({ offers: row.offers, offerStats: new Map(row.offerStats.map((stats) => [stats.offerId, stats])) });

async function readCustomerRows(db: SqlClient, key: CustomerKey): Promise<(CustomerRows & BundleVersion) | null> {
  const rows = await db.query<CustomerOwnRows & StoredOfferRows & BundleVersion>(key.by === 'phone' ? CUSTOMER_ROWS_BY_PHONE_SQL : CUSTOMER_ROWS_BY_ID_SQL, [
    key.by === 'phone' ? key.phone : key.customerId,
  ]);
  const row = rows[0];
  return row === undefined ? null : { ...customerRowsOf(row), ...offerRowsOf(row), bundleVersion: row.bundleVersion };
}

/** What the desk's card builder makes the card of `found` from, with the bundle's uplift models. */
function cardRowsOf(
  found: CustomerRows,
  upliftModels: readonly CompiledUpliftModel[],
  channel: ContactChannel,
  explorationSeed: string,
  now: Date,
): DecisionRows {
  return {
    customer: withUsage(found.customer, found.usage),
    score: found.score,
    offers: found.offers,
    offerStats: found.offerStats,
    upliftModels,
    contactHistory: found.contacts,
    recentOutcomes: found.outcomes,
    channel,
    explorationSeed,
    now,
  };
}

// The same uplift models as a desk's card of this customer, so a card from the server ranks the offers the same way.
const compiledUpliftModelsOf = (bundle: ScoringBundle | null) => (bundle?.upliftModels ?? []).map(compileUpliftModel);

/**
 * The decisions of these customers' cards as an outbound call would open them, read from the book
 * (one statement for the customers, one for the offers) and ranked with `bundle`'s uplift models.
 * Only the decisions: the offers' scripts are not written, and nobody is shown a card, so no view is audited.
 */
export async function outboundDecisionsFromBook(
  db: SqlClient,
  bundle: ScoringBundle | null,
  customerIds: readonly string[],
  now: Date,
): Promise<Map<string, Decision>> {
  if (customerIds.length === 0) return new Map();
  const [offerRows] = await db.query<StoredOfferRows>(OFFER_ROWS_SQL);
  const offers = offerRowsOf(offerRows!);
  const upliftModels = compiledUpliftModelsOf(bundle);
  const customers = await db.query<CustomerOwnRows>(CUSTOMERS_ROWS_SQL, [customerIds]);
  return new Map(
    customers.map((row) => [
      row.customer.id,
      cardDecision(cardRowsOf({ ...customerRowsOf(row), ...offers }, upliftModels, 'outbound', explorationSeed(null, row.customer.id, now), now)),
    ]),
  );
}

/** The desk's viewId names a view already stored for another agent or customer: answering would show a card with no audit row of it. */
export class ViewIdTakenError extends Error {
  override readonly name = 'ViewIdTakenError';
  constructor(viewId: string) {
    super(`the viewId ${viewId} is already stored for another card view: send a new viewId for each view`);
  }
}

/**
 * The card of the customer `key` names as `caller` would see it, with the rows it was built from,
 * and the audit row of the view stored (once per viewId: a repeat is the same view only for the
 * same agent and customer, else ViewIdTakenError); null when no customer has that number or id.
 */
export async function cardFromBook(
  db: SqlClient,
  currentBundle: CurrentScoringBundle,
  caller: User,
  key: CustomerKey,
  query: CardByPhoneQuery,
  now: Date,
): Promise<CardByPhoneResponse | null> {
  const found = await readCustomerRows(db, key);
  if (found === null) return null;
  const { phone } = found.customer;
  const callId = query.callId ?? null;
  const upliftModels = compiledUpliftModelsOf(await currentBundle(db, found.bundleVersion));
  const card = buildCustomerCard({
    phone,
    ...cardRowsOf(found, upliftModels, contactChannel(query.purpose, caller.role), explorationSeed(callId, found.customer.id, now), now),
  });
  const { duplicates } = await storeCardViews(db, {
    deviceId: query.deviceId,
    items: [
      {
        viewId: query.viewId,
        agentId: caller.id,
        customerId: found.customer.id,
        phoneMasked: maskPhone(phone),
        purpose: query.purpose,
        callId,
        viewedAt: now.toISOString(),
      },
    ],
  });
  if (duplicates > 0) {
    const [stored] = await db.query<{ agent_id: string; customer_id: string | null }>('SELECT agent_id, customer_id FROM card_view_audit WHERE view_id = $1', [
      query.viewId,
    ]);
    if (stored?.agent_id !== caller.id || stored.customer_id !== found.customer.id) throw new ViewIdTakenError(query.viewId);
  }
  const customer = seesIdNumbers(caller.role) ? found.customer : { ...found.customer, idNumber: maskIdNumber(found.customer.idNumber) };
  const rows: CustomerDocument[] = [{ entity: 'customer', data: customer }];
  if (found.score !== null) rows.push({ entity: 'score', data: found.score });
  if (found.contacts !== null) rows.push({ entity: 'contact_history', data: found.contacts });
  if (found.usage !== null) rows.push({ entity: 'usage', data: found.usage });
  return { card, rows };
}
