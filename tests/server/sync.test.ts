import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralApi } from '../../server/app';
import { CHANGES_PAGE_SQL } from '../../server/sync/changes-page';
import { SYNCED_TABLES } from '../../server/sync/synced-tables';
import { outcomeDedupeFlows, syncFlows } from './support/core-flows';
import { TEST_CUSTOMERS, startTestApi } from './support/test-api';

let api: CentralApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

describe('sync change feed (PGlite)', () => {
  syncFlows(() => api, TEST_CUSTOMERS);

  it('reads each table of a page through its change_seq index', async () => {
    // Small tables make a sequential scan cheaper; switch it off to see the plan the index enables.
    const plan = await api.db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      await tx.query('SET LOCAL enable_bitmapscan = off');
      return tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${CHANGES_PAGE_SQL}`, [100, 11, 1_000_000]);
    });
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    for (const table of Object.values(SYNCED_TABLES)) expect(text).toContain(`${table.table}_change_seq_idx`);
  });
});

describe('outcome upload dedupe (PGlite)', () => {
  outcomeDedupeFlows(() => api);
});
