// The screen pop: everything the customer card needs for one caller in ONE statement (customer,
// score and last outcomes: one consistent snapshot and one trip into SQLite), prepared once,
// then assembled by the shared (pure) card builder.
import type { CardOutcome, CustomerCard } from '../../shared/contract/desk-api';
import type { Customer, CustomerScore, Offer } from '../../shared/contract/entities';
import { buildCustomerCard, type CardRows } from '../../shared/domain/customer-card';
import { normalizeMobile } from '../../shared/domain/phone';
import type { CacheDb } from './open-cache';

export const RECENT_OUTCOME_COUNT = 5;

export interface CardQuery {
  /** Any ANI as the switch delivers it; an unknown, landline or withheld number gives a prospect card. */
  cardByPhone(ani: string, now: Date): CustomerCard;
  /** The rows the card is built from (exposed for the latency benchmark and tests). */
  readRows(ani: string, now: Date): CardRows;
  /** Drop the parsed offers list; call after a sync page touched offers. */
  invalidateOffers(): void;
}

// The newest outcomes as one JSON array of [outcome_id, recorded_at, result, offer_id, channel,
// note, sync_state] tuples: JS parses one small string instead of stepping rows. Arrays (not
// objects) and a UNION of the two index searches measured fastest; the few tuples are put in
// order in JS because json_group_array does not promise to keep the subquery's order.
const COLUMNS = 'outcome_id, recorded_at, result, offer_id, channel, note, sync_state';
const LATEST = `ORDER BY recorded_at DESC, outcome_id DESC LIMIT ${RECENT_OUTCOME_COUNT}`;
const outcomesJson = (from: string) => `(SELECT json_group_array(json_array(${COLUMNS})) FROM (${from} ${LATEST}))`;

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
    .sort((a, b) => (a.recordedAt === b.recordedAt ? b.outcomeId.localeCompare(a.outcomeId) : b.recordedAt.localeCompare(a.recordedAt)));
}

export function createCardQuery(db: CacheDb): CardQuery {
  // Rows were validated by the contract schemas when they were synced, so they are trusted here
  // and parsed with plain JSON.parse: re-validating on every ring would cost more than the lookup.
  const knownCaller = db.prepare<[string], { customer: string; score: string | null; outcomes: string }>(
    `SELECT c.data AS customer, s.data AS score,
       ${outcomesJson(`SELECT ${COLUMNS} FROM outcomes WHERE customer_id = c.id UNION SELECT ${COLUMNS} FROM outcomes WHERE phone = c.phone`)} AS outcomes
     FROM customers c LEFT JOIN scores s ON s.customer_id = c.id
     WHERE c.phone = ?`,
  );
  const prospectOutcomes = db.prepare<[string], string>(`SELECT ${outcomesJson(`SELECT ${COLUMNS} FROM outcomes WHERE phone = ?`)}`).pluck();
  const allOffers = db.prepare<[], string>('SELECT data FROM offers ORDER BY id').pluck();

  // The catalogue is small and changes only through sync, so it is parsed once and reused.
  let offers: readonly Offer[] | null = null;
  const cachedOffers = (): readonly Offer[] => {
    offers ??= allOffers.all().map((json) => JSON.parse(json) as Offer);
    return offers;
  };

  function readRows(ani: string, now: Date): CardRows {
    const phone = normalizeMobile(ani);
    const known = phone === null ? undefined : knownCaller.get(phone);
    return {
      // A withheld or garbage ANI is shown (masked) as delivered; a mobile in its bare form.
      phone: phone ?? ani.trim(),
      customer: known === undefined ? null : (JSON.parse(known.customer) as Customer),
      score: known?.score == null ? null : (JSON.parse(known.score) as CustomerScore),
      offers: cachedOffers(),
      recentOutcomes:
        known !== undefined ? parseOutcomes(known.outcomes) : phone === null ? [] : parseOutcomes(prospectOutcomes.get(phone) ?? '[]'),
      now,
    };
  }

  return {
    readRows,
    cardByPhone: (ani, now) => buildCustomerCard(readRows(ani, now)),
    invalidateOffers() {
      offers = null;
    },
  };
}
