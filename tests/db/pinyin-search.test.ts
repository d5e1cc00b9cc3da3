// Store counter: names typed in pinyin (initials or full, with or without spaces) and the ranking
// of typos, on a real cache file written by the desk's own writers (change feed, snapshot
// bootstrap, migration of an existing cache).
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncSnapshotResponse } from '../../shared/contract/central-api';
import { createCustomerSearch } from '../../db/cache/customer-search';
import { updateToVersion } from '../../db/cache/migrations';
import { openCache, type CacheDb } from '../../db/cache/open-cache';
import { namePinyin, pinyinQueryKey } from '../../db/cache/pinyin-keys';
import { createChangeApplier } from '../../db/replica/apply-changes';
import { createSnapshotBootstrap } from '../../db/replica/snapshot-bootstrap';
import { makeCustomer, page, tombstone, upsertCustomer } from './support/fixtures';
import { useTempDir } from './support/temp-dir';

const temp = useTempDir();

describe('pinyin readings of names', () => {
  it.each([
    ['张三', 'zhangsan', 'zs'],
    ['张三丰', 'zhangsanfeng', 'zsf'],
    ['曾小明', 'zengxiaoming', 'zxm'], // 曾 read as a surname (zeng), not ceng
    ['单雄信', 'shanxiongxin', 'sxx'],
    ['吕布', 'lvbu', 'lb'], // ü typed as v
    ['欧阳娜娜', 'ouyangnana', 'oynn'],
    ['John Smith', '', ''], // no Chinese: found by its letters already
  ])('%s reads %s / %s', (name, full, initials) => {
    expect(namePinyin(name)).toEqual({ full, initials });
  });

  it.each([
    ['zs', 'zs'],
    ['Zhang San', 'zhangsan'],
    ['  zhang  san ', 'zhangsan'],
    ["xi'an", 'xian'],
    ['lü', 'lv'],
    ['张三', null],
    ['138', null],
    ['zs1', null],
    ['   ', null],
  ])('query %j looks up %j', (query, key) => {
    expect(pinyinQueryKey(query)).toBe(key);
  });
});

describe('customer search by pinyin and typo ranking', () => {
  let db: CacheDb;
  let apply: ReturnType<typeof createChangeApplier>;
  let search: ReturnType<typeof createCustomerSearch>['search'];
  const found = (query: string) => search(query).matches.map((m) => `${m.name}:${m.matchedOn}`);

  beforeEach(() => {
    db = openCache(temp.path());
    apply = createChangeApplier(db);
    search = createCustomerSearch(db).search;
    const names = ['张三丰', '张三', '李四', '王小明', '王小红', '王晓', '曾小明', '张山'];
    apply(page(names.map((name, i) => upsertCustomer(i + 1, makeCustomer(i + 1, { name, status: name === '王小明' ? 'churned' : 'active' })))));
  });
  afterEach(() => db.close());

  it('finds a name by its initials: the whole initials first, then the longer names they start', () => {
    expect(found('zs')).toEqual(['张三:pinyin', '张山:pinyin', '张三丰:pinyin']);
    expect(found('ZSF')).toEqual(['张三丰:pinyin']);
    expect(found('wxm')).toEqual(['王小明:pinyin']); // a churned customer is found like any other
    expect(found('zxm')).toEqual(['曾小明:pinyin']);
  });

  it('finds a name by its full pinyin, with or without spaces', () => {
    expect(found('zhangsan')).toEqual(['张三:pinyin', '张三丰:pinyin']);
    expect(found('zhang san')).toEqual(['张三:pinyin', '张三丰:pinyin']);
    expect(found('zhangsanfeng')).toEqual(['张三丰:pinyin']);
    expect(found('zengxiaoming')).toEqual(['曾小明:pinyin']);
    expect(found('wang xiao')).toEqual(['王晓:pinyin', '王小红:pinyin', '王小明:pinyin']); // the whole reading first
    expect(found('zhaoliu')).toEqual([]);
  });

  it('puts the one-edit match of the whole name before longer names that start with the query', () => {
    // The clerk typed 小 for 晓: 王晓 is the customer, 王小明 and 王小红 only start like the query.
    expect(found('王小')).toEqual(['王晓:name_fuzzy', '王小明:name', '王小红:name']);
    // The name exactly as typed first, then the typo, then the longer names.
    expect(found('张三')).toEqual(['张三:name', '张山:name_fuzzy', '张三丰:name']);
  });

  it('follows renames and deletions', () => {
    apply(page([upsertCustomer(20, makeCustomer(3, { version: 2, name: '王五' })), tombstone(21, 'customer', 'c-2', 2)]));
    expect(found('ls')).toEqual([]);
    expect(found('ww')).toEqual(['王五:pinyin']);
    expect(found('zs')).toEqual(['张山:pinyin', '张三丰:pinyin']);
    expect(db.prepare('SELECT count(*) FROM customer_pinyin WHERE full IS NULL').pluck().get()).toBe(0);
  });

  it('fills the keys of a book that arrives as a snapshot as soon as its customers are in', async () => {
    const fresh = openCache(temp.path());
    try {
      const customers = [makeCustomer(1, { name: '张三丰' }), makeCustomer(2, { name: '李四' })];
      const searchFresh = createCustomerSearch(fresh).search;
      let foundWhileScoresArrive: string[] = [];
      const snapshotPage = (entity: SyncSnapshotResponse['entity'], afterKey: string): SyncSnapshotResponse => {
        // Two customer pages of one row each; the scores come after them.
        const rows = entity === 'customer' ? customers.filter((c) => c.id > afterKey).slice(0, 1) : [];
        return {
          entity,
          safeCursor: 5,
          rows: rows.map((c) => [c.id, c.version, JSON.stringify(c)]),
          nextKey: rows.at(-1)?.id ?? afterKey,
          hasMore: rows.length > 0,
        };
      };
      await createSnapshotBootstrap(fresh, 1).run(
        async (entity, afterKey) => snapshotPage(entity, afterKey),
        (applied) => {
          if (applied.touched.has('score')) foundWhileScoresArrive = searchFresh('zsf').matches.map((m) => m.customerId);
        },
      );
      expect(foundWhileScoresArrive).toEqual(['c-1']);
      expect(searchFresh('ls').matches.map((m) => m.customerId)).toEqual(['c-2']);
    } finally {
      fresh.close();
    }
  });
});

describe('cache migration 8', () => {
  it('gives the customers already cached their pinyin keys, indexed, and keeps them with later writes', () => {
    const db = new Database(':memory:');
    try {
      updateToVersion(db, 7);
      db.prepare(
        "INSERT INTO customers (id, phone, name, id_number, version, data) VALUES ('c1', '13800000001', '张三丰', '11010519800101123X', 3, '{}')",
      ).run();
      updateToVersion(db, 8);
      const keys = () => db.prepare('SELECT customer_id, full, initials FROM customer_pinyin ORDER BY customer_id').all();
      expect(keys()).toEqual([{ customer_id: 'c1', full: 'zhangsanfeng', initials: 'zsf' }]);
      const plan = (column: string) =>
        db
          .prepare(`EXPLAIN QUERY PLAN SELECT customer_id FROM customer_pinyin WHERE ${column} >= 'zs' AND ${column} < 'zt' ORDER BY ${column} LIMIT 21`)
          .all()
          .map((row) => (row as { detail: string }).detail)
          .join();
      expect(plan('full')).toMatch(/customer_pinyin_by_full/);
      expect(plan('initials')).toMatch(/customer_pinyin_by_initials/);

      // Inserts and renames mark the keys missing for the writer to fill; deletions remove them.
      db.prepare("INSERT INTO customers (id, phone, name, id_number, version, data) VALUES ('c2', '13800000002', '李四', '110105198001011234', 1, '{}')").run();
      db.prepare("UPDATE customers SET name = '张三' WHERE id = 'c1'").run();
      expect(keys()).toEqual([
        { customer_id: 'c1', full: null, initials: null },
        { customer_id: 'c2', full: null, initials: null },
      ]);
      db.prepare("DELETE FROM customers WHERE id = 'c2'").run();
      expect(keys()).toEqual([{ customer_id: 'c1', full: null, initials: null }]);
    } finally {
      db.close();
    }
  });
});
