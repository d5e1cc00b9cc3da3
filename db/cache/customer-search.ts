// Store counter search over the cached book: a phone number by prefix, an ID number in full or
// by its last 4+ characters, a name by prefix or within one wrong, missing or extra character,
// and a name typed in pinyin (initials "zs" or full "zhangsan", migration 8). Every branch is an
// index range or an index probe with a LIMIT (migrations 3 and 8), so a search stays fast however
// many customers are cached. A query that fits nothing finds nothing.
//
// Names rank as a clerk reads them: the name exactly as typed, then a name one edit away from the
// whole query (the typo: 王晓 for "王小"), then longer names that start with the query (王小明).
import { SEARCH_MAX_MATCHES, type SearchMatch } from '../../shared/contract/desk-api';
import type { Customer } from '../../shared/contract/entities';
import { maskIdNumber, maskPhone } from '../../shared/domain/masking';
import { normalizeMobile } from '../../shared/domain/phone';
import { editDistance } from './edit-distance';
import { nameKeysSql, normalizedNameSql } from './migrations';
import type { CacheDb } from './open-cache';
import { pinyinQueryKey } from './pinyin-keys';

export interface SearchResult {
  matches: SearchMatch[];
  /** More customers matched than SEARCH_MAX_MATCHES: the counter should narrow the query. */
  truncated: boolean;
}

export const ID_SUFFIX_MIN_LENGTH = 4;
/** Names within one edit of a short query can be many (every 张X for 张三): look at this many at most. */
export const FUZZY_CANDIDATE_LIMIT = 500;
const FUZZY_MAX_DISTANCE = 1;
const FUZZY_MIN_QUERY_LENGTH = 2;

/** Sorts after any text that starts with the prefix (SQLite compares UTF-8 bytes; U+10FFFF is the largest). */
const PREFIX_END = '\u{10FFFF}';

type MatchedOn = SearchMatch['matchedOn'];

interface CustomerRow {
  id: string;
  name: string;
  phone: string;
  id_number: string;
  data: string;
}

/** The columns a match is made from, of the customers table (aliased as `table` when given). */
const rowColumns = (table?: string) =>
  ['id', 'name', 'phone', 'id_number', 'data'].map((column) => (table === undefined ? column : `${table}.${column}`)).join(', ');

export function createCustomerSearch(db: CacheDb): { search(query: string): SearchResult } {
  const limit = SEARCH_MAX_MATCHES + 1; // one more than shown tells whether there were more
  const rangeOf = (column: string) =>
    db.prepare<[string, string, number], CustomerRow>(
      `SELECT ${rowColumns()} FROM customers WHERE ${column} >= ? AND ${column} < ? ORDER BY ${column} LIMIT ?`,
    );
  const byPhonePrefix = rangeOf('phone');
  const byReversedIdPrefix = rangeOf('id_number_reversed');
  const byNamePrefix = rangeOf('name');
  const pinyinRangeOf = (column: 'full' | 'initials') =>
    db.prepare<[string, string, number], CustomerRow & { pinyin: string }>(
      `SELECT ${rowColumns('c')}, p.${column} AS pinyin
       FROM customer_pinyin p JOIN customers c ON c.id = p.customer_id
       WHERE p.${column} >= ? AND p.${column} < ? ORDER BY p.${column} LIMIT ?`,
    );
  const byPinyinInitials = pinyinRangeOf('initials');
  const byFullPinyin = pinyinRangeOf('full');
  // The query's deletion keys are made by the same SQL as the index's, so both normalise alike.
  const fuzzyCandidates = db.prepare<{ query: string; limit: number }, { id: string; normalized: string; query: string }>(
    `SELECT c.id, ${normalizedNameSql('c.name')} AS normalized, ${normalizedNameSql('$query')} AS query
     FROM customers c
     WHERE c.id IN (
       SELECT DISTINCT customer_id FROM name_keys
       WHERE key IN (SELECT key FROM (${nameKeysSql('$query', 'NULL')}))
       LIMIT $limit
     )`,
  );
  const byId = db.prepare<[string], CustomerRow>(`SELECT ${rowColumns()} FROM customers WHERE id = ?`);

  const toMatch = (row: CustomerRow, matchedOn: MatchedOn): SearchMatch => {
    const customer = JSON.parse(row.data) as Customer;
    return {
      customerId: row.id,
      name: customer.name,
      phoneMasked: maskPhone(row.phone),
      idNumberMasked: maskIdNumber(row.id_number),
      planName: customer.planName,
      status: customer.status,
      matchedOn,
    };
  };

  function numberRows(compact: string): [CustomerRow, MatchedOn][] {
    const found: [CustomerRow, MatchedOn][] = [];
    const mobile = normalizeMobile(compact);
    const phonePrefix = mobile ?? (/^1\d{0,10}$/.test(compact) ? compact : null);
    if (phonePrefix !== null) {
      for (const row of byPhonePrefix.all(phonePrefix, phonePrefix + PREFIX_END, limit)) found.push([row, 'phone']);
    }
    if (compact.length >= ID_SUFFIX_MIN_LENGTH && /^\d+X?$/.test(compact)) {
      const reversed = [...compact].reverse().join('');
      for (const row of byReversedIdPrefix.all(reversed, reversed + PREFIX_END, limit)) found.push([row, 'id_number']);
    }
    return found;
  }

  /** The name as typed, then whole names one edit away, then longer names; `capped` when the candidate limit may have hidden more. */
  function nameRows(name: string): { rows: [CustomerRow, MatchedOn][]; capped: boolean } {
    const prefixed = byNamePrefix.all(name, name + PREFIX_END, limit);
    const exact: [CustomerRow, MatchedOn][] = prefixed.filter((row) => row.name === name).map((row) => [row, 'name']);
    const longer: [CustomerRow, MatchedOn][] = prefixed.filter((row) => row.name !== name).map((row) => [row, 'name']);
    if (exact.length >= limit || [...name.replaceAll(' ', '')].length < FUZZY_MIN_QUERY_LENGTH) return { rows: [...exact, ...longer], capped: false };
    const candidates = fuzzyCandidates.all({ query: name, limit: FUZZY_CANDIDATE_LIMIT });
    // A longer name that starts with the query is one edit away too, but it is a prefix match, not a typo.
    const close = candidates
      .filter((candidate) => !candidate.normalized.startsWith(candidate.query))
      .map((candidate) => ({ id: candidate.id, normalized: candidate.normalized, distance: editDistance(candidate.normalized, candidate.query) }))
      .filter((candidate) => candidate.distance <= FUZZY_MAX_DISTANCE)
      .sort((a, b) => a.distance - b.distance || a.normalized.localeCompare(b.normalized) || a.id.localeCompare(b.id));
    const typos: [CustomerRow, MatchedOn][] = [];
    for (const candidate of close.slice(0, limit)) {
      const row = byId.get(candidate.id);
      if (row !== undefined) typos.push([row, 'name_fuzzy']);
    }
    return { rows: [...exact, ...typos, ...longer], capped: candidates.length >= FUZZY_CANDIDATE_LIMIT };
  }

  /** Names whose pinyin is the key (initials or full), then those it starts; initials before full within each. */
  function pinyinRows(key: string): [CustomerRow, MatchedOn][] {
    const found = [...byPinyinInitials.all(key, key + PREFIX_END, limit), ...byFullPinyin.all(key, key + PREFIX_END, limit)];
    const whole = found.filter((row) => row.pinyin === key);
    const started = found.filter((row) => row.pinyin !== key);
    return [...whole, ...started].map((row) => [row, 'pinyin']);
  }

  function textRows(text: string): { rows: [CustomerRow, MatchedOn][]; capped: boolean } {
    const byName = nameRows(text);
    const key = pinyinQueryKey(text);
    return key === null ? byName : { rows: [...byName.rows, ...pinyinRows(key)], capped: byName.capped };
  }

  return {
    search(query) {
      const trimmed = query.trim();
      const compact = trimmed
        .replace(/[\s\-()]/g, '')
        .replace(/^\+/, '')
        .toUpperCase();
      const { rows, capped } = /^\d+X?$/.test(compact) ? { rows: numberRows(compact), capped: false } : textRows(trimmed);
      // One customer can match twice (a number that is both a phone prefix and an ID suffix): first wins.
      const seen = new Set<string>();
      const matches: SearchMatch[] = [];
      for (const [row, matchedOn] of rows) {
        if (seen.has(row.id)) continue;
        seen.add(row.id);
        matches.push(toMatch(row, matchedOn));
      }
      return { matches: matches.slice(0, SEARCH_MAX_MATCHES), truncated: capped || matches.length > SEARCH_MAX_MATCHES };
    },
  };
}
