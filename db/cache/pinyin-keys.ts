// Pinyin keys of customer names, so a store clerk can type 张三 as "zs" (initials) or "zhangsan" /
// "zhang san" (full pinyin). SQLite cannot call pinyin-pro, so the keys are computed here and kept
// in customer_pinyin (migration 8): its triggers mark a row's keys missing (NULL) whenever a
// customer is inserted or renamed, and fillPinyinKeys computes every missing one. Writers of the
// customers table call it in the transaction that wrote the rows, so a search never sees stale keys.
import { pinyin } from 'pinyin-pro';
import type { CacheDb } from './open-cache';

export interface NamePinyin {
  /** Every syllable in full, without tones or spaces: 张三丰 → zhangsanfeng. */
  full: string;
  /** The first letter of each syllable: 张三丰 → zsf. */
  initials: string;
}

const HAN = /\p{Script=Han}/u;
/** ü is typed as v on Chinese keyboards (lv for 吕); apostrophes separate syllables (xi'an). */
const PINYIN_QUERY = /^[a-zü' ]+$/;

/** '' for names without Chinese characters: they are found by their letters already. */
const NO_PINYIN: NamePinyin = { full: '', initials: '' };

/** The reading of a name: the surname read as a surname (曾 zeng, 单 shan, 解 xie), the rest by pinyin-pro's context rules. */
export function namePinyin(name: string): NamePinyin {
  if (!HAN.test(name)) return NO_PINYIN;
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head', v: true })
    .map((syllable) => syllable.toLowerCase().replace(/[^a-z]/g, ''))
    .filter((syllable) => syllable !== '');
  return { full: syllables.join(''), initials: syllables.map((syllable) => syllable[0]).join('') };
}

/** The key a query is looked up by, or null when the query is not pinyin (Chinese, digits, symbols). */
export function pinyinQueryKey(query: string): string | null {
  const lowered = query.trim().toLowerCase();
  if (!PINYIN_QUERY.test(lowered)) return null;
  const key = lowered.replace(/[' ]/g, '').replaceAll('ü', 'v');
  return key === '' ? null : key;
}

const FILL_BATCH = 10_000;

/** Books repeat names a lot (张伟, 王芳): each distinct name is read once per fill, up to this many remembered. */
const READINGS_REMEMBERED = 100_000;

/** Prepares once; the returned function computes every missing key and returns how many it filled. */
export function createPinyinKeyFiller(db: CacheDb): () => number {
  // In customer_id order from a cursor, so a batch never rescans what the one before filled.
  const missing = db.prepare<[string], { customerId: string; name: string }>(
    `SELECT p.customer_id AS customerId, c.name FROM customer_pinyin p JOIN customers c ON c.id = p.customer_id
     WHERE p.full IS NULL AND p.customer_id > ? ORDER BY p.customer_id LIMIT ${FILL_BATCH}`,
  );
  const update = db.prepare<[string, string, string]>('UPDATE customer_pinyin SET full = ?, initials = ? WHERE customer_id = ?');
  return () => {
    const readings = new Map<string, NamePinyin>();
    let filled = 0;
    let after = '';
    for (let batch = missing.all(after); batch.length > 0; batch = missing.all(after)) {
      for (const { customerId, name } of batch) {
        let reading = readings.get(name);
        if (reading === undefined) {
          if (readings.size >= READINGS_REMEMBERED) readings.clear();
          reading = namePinyin(name);
          readings.set(name, reading);
        }
        update.run(reading.full, reading.initials, customerId);
      }
      filled += batch.length;
      after = batch.at(-1)?.customerId ?? after;
    }
    return filled;
  };
}

/** Prepares once; the returned function computes one customer's missing keys (a customer written on their own, such as one cached after a miss). */
export function createCustomerPinyinKeyFiller(db: CacheDb): (customerId: string) => void {
  const missing = db
    .prepare<[string], string>('SELECT c.name FROM customer_pinyin p JOIN customers c ON c.id = p.customer_id WHERE p.full IS NULL AND p.customer_id = ?')
    .pluck();
  const update = db.prepare<[string, string, string]>('UPDATE customer_pinyin SET full = ?, initials = ? WHERE customer_id = ?');
  return (customerId) => {
    const name = missing.get(customerId);
    if (name === undefined) return;
    const reading = namePinyin(name);
    update.run(reading.full, reading.initials, customerId);
  };
}

const PINYIN_INDEXES = { customer_pinyin_by_full: 'full', customer_pinyin_by_initials: 'initials' } as const;

/**
 * Fills every missing key with the indexes dropped and then builds them in one sorted pass: for a
 * whole book (migration 8) far faster than moving each entry.
 */
export function fillPinyinKeysInBulk(db: CacheDb): number {
  for (const index of Object.keys(PINYIN_INDEXES)) db.exec(`DROP INDEX IF EXISTS ${index}`);
  const filled = createPinyinKeyFiller(db)();
  for (const [index, column] of Object.entries(PINYIN_INDEXES)) db.exec(`CREATE INDEX ${index} ON customer_pinyin (${column})`);
  return filled;
}
