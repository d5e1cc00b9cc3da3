// The screen pop: everything the customer card needs for one caller in ONE statement (customer,
// score, last outcomes and contact history: one consistent snapshot and one trip into SQLite),
// prepared once, then assembled by the shared (pure) card builder. The offer catalogue and its
// learned acceptance counts are small and change only through sync: parsed once, kept in memory.
// A customer with events logged here but not yet in the synced row gets them folded in and, with a
// cached scoring bundle, is re-scored on the spot (stage, risk, reasons and offers react at once).
import type { CardOutcome, CustomerCard } from '../../shared/contract/desk-api';
import type { ContactHistory, Customer, CustomerScore, CustomerUsage, Offer, OfferStats, SyncEntity } from '../../shared/contract/entities';
import type { ContactChannel } from '../../shared/contract/outcomes';
import { rescoreCustomer, withCustomerEvents } from '../../shared/analytics/rescore-customer';
import { withUsage } from '../../shared/analytics/usage-window';
import { compileUpliftModel, type CompiledUpliftModel } from '../../shared/analytics/uplift/uplift-model';
import { buildCustomerCard, explorationSeed, newestOutcomeFirst, RECENT_OUTCOME_COUNT, type CardRows } from '../../shared/domain/customer-card';
import { normalizeMobile } from '../../shared/domain/phone';
import { createCustomerEventOverlay, type CustomerEventOverlay } from './customer-event-overlay';
import type { CacheDb } from './open-cache';
import { createScoringBundleCache, type ScoringBundleCache } from './scoring-bundle-cache';

/** What the card is opened for: the contact policy depends on the contact channel, exploration on the call. */
export interface CardContext {
  channel: ContactChannel;
  callId: string | null;
}

export interface CardQuery {
  /** Any ANI as the switch delivers it; an unknown, landline or withheld number gives a prospect card. */
  cardByPhone(ani: string, now: Date, view: CardContext): CustomerCard;
  /** The card of a cached customer (store search, outbound queue), or null when the id is not cached. */
  cardByCustomer(customerId: string, now: Date, view: CardContext): CustomerCard | null;
  /** The rows the card is built from (exposed for the latency benchmark and tests). */
  readRows(ani: string, now: Date, view: CardContext): CardRows;
  /** Drops the in-memory offers and offer stats a sync page changed (AppliedPage.touched). */
  invalidate(touched: ReadonlySet<SyncEntity>): void;
}

// The newest outcomes as one JSON array of [outcome_id, recorded_at, result, offer_id, channel,
// note, sync_state] tuples: JS parses one small string instead of stepping rows. Arrays (not
// objects) and a UNION of the two index searches measured fastest; the few tuples are put in
// order in JS because json_group_array does not promise to keep the subquery's order.
const COLUMNS = 'outcome_id, recorded_at, result, offer_id, channel, note, sync_state';
const LATEST = `ORDER BY recorded_at DESC, outcome_id DESC LIMIT ${RECENT_OUTCOME_COUNT}`;
const outcomesJson = (from: string) => `(SELECT json_group_array(json_array(${COLUMNS})) FROM (${from} ${LATEST}))`;
const KNOWN_CUSTOMER_SELECT = `SELECT c.phone AS phone, c.data AS customer, s.data AS score, h.data AS contacts, u.data AS usage,
    ${outcomesJson(`SELECT ${COLUMNS} FROM outcomes WHERE customer_id = c.id UNION SELECT ${COLUMNS} FROM outcomes WHERE phone = c.phone`)} AS outcomes
  FROM customers c LEFT JOIN scores s ON s.customer_id = c.id LEFT JOIN contact_history h ON h.customer_id = c.id LEFT JOIN usage u ON u.customer_id = c.id`;
/** The screen pop's statement (exported for the latency benchmark, which times it without the parsing). */
export const CARD_BY_PHONE_SQL = `${KNOWN_CUSTOMER_SELECT} WHERE c.phone = ?`;

interface KnownCustomerRow {
  phone: string;
  customer: string;
  score: string | null;
  contacts: string | null;
  /** The customer's synced monthly bills, which replace the document's series (shared/analytics/usage-window.ts). */
  usage: string | null;
  outcomes: string;
}

type OutcomeTuple = [string, string, CardOutcome['result'], string | null, CardOutcome['channel'], string, CardOutcome['syncState']];

function parseOutcomes(json: string): CardOutcome[] {
  if (json === '[]') return [];
  return (JSON.parse(json) as OutcomeTuple[])
    .map(([outcomeId, recordedAt, result, offerId, channel, note, syncState]) => ({
      outcomeId,
      recordedAt,
      result,
      offerId,
      channel,
      note,
      syncState,
    }))
    .sort(newestOutcomeFirst);
}

/** What lets the card reflect events logged during a call before they come back through sync. */
export interface CardRescoring {
  overlay: CustomerEventOverlay;
  bundles: ScoringBundleCache;
}

/** The backend passes its own rescoring parts (it tracks the events it records in the same overlay). */
export function createCardQuery(
  db: CacheDb,
  rescoring: CardRescoring = { overlay: createCustomerEventOverlay(db), bundles: createScoringBundleCache(db) },
): CardQuery {
  // Rows were validated by the contract schemas when they were synced, so they are trusted here
  // and parsed with plain JSON.parse: re-validating on every ring would cost more than the lookup.
  const byPhone = db.prepare<[string], KnownCustomerRow>(CARD_BY_PHONE_SQL);
  const byId = db.prepare<[string], KnownCustomerRow>(`${KNOWN_CUSTOMER_SELECT} WHERE c.id = ?`);
  const prospectOutcomes = db.prepare<[string], string>(`SELECT ${outcomesJson(`SELECT ${COLUMNS} FROM outcomes WHERE phone = ?`)}`).pluck();
  const allOffers = db.prepare<[], string>('SELECT data FROM offers ORDER BY id').pluck();
  const allOfferStats = db.prepare<[], string>('SELECT data FROM offer_stats').pluck();

  let offers: readonly Offer[] | null = null;
  let offerStats: ReadonlyMap<string, OfferStats> | null = null;
  const cachedOffers = (): readonly Offer[] => {
    offers ??= allOffers.all().map((json) => JSON.parse(json) as Offer);
    return offers;
  };
  const cachedOfferStats = (): ReadonlyMap<string, OfferStats> => {
    offerStats ??= new Map(
      allOfferStats.all().map((json) => {
        const stats = JSON.parse(json) as OfferStats;
        return [stats.offerId, stats] as const;
      }),
    );
    return offerStats;
  };
  // The bundle's uplift models; compileUpliftModel compiles each model object once (a card is built on every ring).
  const upliftModels = (): CompiledUpliftModel[] => (rescoring.bundles.current()?.upliftModels ?? []).map(compileUpliftModel);

  /** The synced rows with the not-yet-synced events folded in; without a bundle the synced score stays. */
  function withOverlay(customer: Customer, score: CustomerScore | null, now: Date): { customer: Customer; score: CustomerScore | null } {
    const events = rescoring.overlay.kindsFor(customer.id);
    if (events.length === 0) return { customer, score };
    const changed = withCustomerEvents(customer, events);
    const bundle = rescoring.bundles.current();
    if (bundle === null) return { customer: changed, score };
    return { customer: changed, score: { ...rescoreCustomer(changed, bundle, now), version: score?.version ?? 0 } };
  }

  function rows(phone: string, known: KnownCustomerRow | undefined, recentOutcomes: CardOutcome[], now: Date, view: CardContext): CardRows {
    const synced =
      known === undefined ? null : withUsage(JSON.parse(known.customer) as Customer, known.usage === null ? null : (JSON.parse(known.usage) as CustomerUsage));
    const syncedScore = known?.score == null ? null : (JSON.parse(known.score) as CustomerScore);
    const { customer, score } = synced === null ? { customer: null, score: syncedScore } : withOverlay(synced, syncedScore, now);
    return {
      phone,
      customer,
      score,
      offers: cachedOffers(),
      offerStats: cachedOfferStats(),
      upliftModels: upliftModels(),
      contactHistory: known?.contacts == null ? null : (JSON.parse(known.contacts) as ContactHistory),
      recentOutcomes,
      channel: view.channel,
      explorationSeed: explorationSeed(view.callId, customer?.id ?? phone, now),
      now,
    };
  }

  function readRows(ani: string, now: Date, view: CardContext): CardRows {
    const phone = normalizeMobile(ani);
    // A withheld or garbage ANI is shown (masked) as delivered, with nothing recorded against it.
    if (phone === null) return rows(ani.trim(), undefined, [], now, view);
    const known = byPhone.get(phone);
    return rows(phone, known, parseOutcomes(known?.outcomes ?? prospectOutcomes.get(phone) ?? '[]'), now, view);
  }

  return {
    readRows,
    cardByPhone: (ani, now, view) => buildCustomerCard(readRows(ani, now, view)),
    cardByCustomer(customerId, now, view) {
      const known = byId.get(customerId);
      return known === undefined ? null : buildCustomerCard(rows(known.phone, known, parseOutcomes(known.outcomes), now, view));
    },
    invalidate(touched) {
      if (touched.has('offer')) offers = null;
      if (touched.has('offer_stats')) offerStats = null;
    },
  };
}
