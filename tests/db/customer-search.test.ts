import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEARCH_MAX_MATCHES } from '../../shared/contract/desk-api';
import { createCustomerSearch } from '../../db/cache/customer-search';
import { editDistance } from '../../db/cache/edit-distance';
import { openCache, type CacheDb } from '../../db/cache/open-cache';
import { createChangeApplier } from '../../db/replica/apply-changes';
import { makeCustomer, page, tombstone, upsertCustomer } from './support/fixtures';
import { useTempDir } from './support/temp-dir';

const temp = useTempDir();

describe('customer search', () => {
  let db: CacheDb;
  let apply: ReturnType<typeof createChangeApplier>;
  let search: ReturnType<typeof createCustomerSearch>['search'];
  const ids = (query: string) => search(query).matches.map((m) => `${m.customerId}:${m.matchedOn}`);

  beforeEach(() => {
    db = openCache(temp.path());
    apply = createChangeApplier(db);
    search = createCustomerSearch(db).search;
    apply(
      page([
        upsertCustomer(1, makeCustomer(1, { name: '张三丰', phone: '13812345678', idNumber: '11010519800101123X' })),
        upsertCustomer(2, makeCustomer(2, { name: '张三', phone: '13912345678', idNumber: '310101199001015678' })),
        upsertCustomer(3, makeCustomer(3, { name: '李四', phone: '15000000003', idNumber: '440301198512120003' })),
        upsertCustomer(4, makeCustomer(4, { name: '王小明', phone: '18600000004', idNumber: '440301198512125678', status: 'churned' })),
      ]),
    );
  });
  afterEach(() => db.close());

  it('finds phones by prefix, masked, with plan and status', () => {
    const result = search('1381234');
    expect(result).toEqual({
      matches: [
        {
          customerId: 'c-1',
          name: '张三丰',
          phoneMasked: '138****5678',
          idNumberMasked: '1101**********123X',
          planName: { zh: '畅享58元套餐', en: 'Unlimited 58' },
          status: 'active',
          matchedOn: 'phone',
        },
      ],
      truncated: false,
    });
    expect(ids('+86 139 1234 5678')).toEqual(['c-2:phone']);
    expect(ids('1')).toEqual(['c-1:phone', 'c-2:phone', 'c-3:phone', 'c-4:phone']);
    expect(JSON.stringify(search('138'))).not.toContain('13812345678');
  });

  it('finds an ID number in full and by its last 4+ characters, x or X', () => {
    expect(ids('11010519800101123X')).toEqual(['c-1:id_number']);
    expect(ids('123x')).toEqual(['c-1:id_number']);
    expect(ids('5678')).toEqual(['c-2:id_number', 'c-4:id_number']);
    expect(ids('25678')).toEqual(['c-4:id_number']);
    expect(ids('123')).toEqual([]); // fewer than 4 characters is no ID search (and no phone starts 123)
  });

  it('finds names by prefix, then within one wrong, missing or extra character', () => {
    expect(ids('张三')).toEqual(['c-2:name', 'c-1:name']);
    expect(ids('张四丰')).toEqual(['c-1:name_fuzzy']); // one wrong character
    expect(ids('王明')).toEqual(['c-4:name_fuzzy']); // one missing
    expect(ids('李小四')).toEqual(['c-3:name_fuzzy']); // one extra
    expect(ids('赵六')).toEqual([]);
    expect(ids('张')).toEqual(['c-2:name', 'c-1:name']); // prefix only: one character is too short to be fuzzy
  });

  it('follows renames and deletions', () => {
    apply(page([upsertCustomer(5, makeCustomer(3, { version: 2, name: '李思', phone: '15000000003' })), tombstone(6, 'customer', 'c-2', 2)]));
    expect(ids('李四')).toEqual(['c-3:name_fuzzy']);
    expect(ids('张三')).toEqual(['c-1:name']);
    expect(ids('139')).toEqual([]);
  });

  it.each(['!!!', '%', "' OR 1=1 --", '_', '\\u0000', '😀😀', 'x'.repeat(64), '   -  '])('finds nothing for %j, without an error', (query) => {
    expect(search(query)).toEqual({ matches: [], truncated: false });
  });

  it(`returns at most ${SEARCH_MAX_MATCHES} matches and says when there were more`, () => {
    apply(page(Array.from({ length: 30 }, (_, i) => upsertCustomer(10 + i, makeCustomer(100 + i, { name: `陈${i}` })))));
    const result = search('陈');
    expect(result.matches).toHaveLength(SEARCH_MAX_MATCHES);
    expect(result.truncated).toBe(true);
    expect(new Set(result.matches.map((m) => m.customerId)).size).toBe(SEARCH_MAX_MATCHES);
  });
});

describe('edit distance', () => {
  it.each([
    ['张三丰', '张四丰', 1],
    ['王小明', '王明', 1],
    ['李四', '李小四', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['😀a', '😀b', 1],
  ])('%s → %s is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});
