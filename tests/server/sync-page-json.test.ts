// The change feed's changes are written out by PostgreSQL as JSON text and spliced into the page
// (server/sync/changes-page.ts): it must say exactly what the stored rows say, page by page, with
// customers' ID numbers masked as maskIdNumber does, and refuse a customer it cannot mask.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScopedSyncChangesResponse, ScopedSyncSnapshotResponse, WHOLE_BOOK_SCOPE } from '../../shared/contract/cache-scope';
import { SyncChangesResponse, type SyncChange } from '../../shared/contract/central-api';
import type { SyncEntity } from '../../shared/contract/entities';
import { maskIdNumber } from '../../shared/domain/masking';
import type { CentralApi } from '../../server/app';
import { generateDemoCustomer } from '../../server/seed/demo-customers';
import { deleteSyncedRow, upsertCustomers } from '../../server/sync/change-log';
import { CHANGES_PAGE_SQL, readChangesPageJson, type IdNumberView } from '../../server/sync/changes-page';
import { bearer, login, startTestApi } from './support/test-api';

const CUSTOMERS = 12;
/** A quote and a backslash: the number is written escaped in the document's text. */
const ESCAPED_ID_NUMBER = '110105"1990\\307X';
/** Three-byte and four-byte UTF-8 (an astral character: two UTF-16 units) in a stored document. */
const WIDE_NAME = '𠮷田 王芳 😀';
let api: CentralApi;

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: CUSTOMERS });
  await api.db.transaction(async (tx) => {
    await upsertCustomers(tx, [
      { ...generateDemoCustomer(CUSTOMERS + 1), idNumber: ESCAPED_ID_NUMBER },
      // A name that spells out an idNumber field: only the real field is masked.
      { ...generateDemoCustomer(CUSTOMERS + 2), name: '"idNumber": "110105199003070000"' },
      { ...generateDemoCustomer(CUSTOMERS + 3), name: WIDE_NAME },
    ]);
    await deleteSyncedRow(tx, 'customer', generateDemoCustomer(2).id);
  });
});
afterAll(() => api?.close());

interface StoredRow {
  entity: SyncEntity;
  id: string;
  version: number;
  change_seq: number;
  deleted: boolean;
  data: Record<string, unknown>;
}

/** The page as the stored rows say it, built here from the parsed documents (the contract's way). */
async function expectedPage(after: number, limit: number, idNumbers: IdNumberView) {
  const rows = await api.db.query<StoredRow>(CHANGES_PAGE_SQL, [after, limit + 1, Number.MAX_SAFE_INTEGER]);
  const page = rows.slice(0, limit);
  const changes = page.map((row): SyncChange => {
    const head = { seq: Number(row.change_seq), id: row.id, version: Number(row.version), entity: row.entity };
    if (row.deleted) return { ...head, op: 'delete' } as SyncChange;
    const data = typeof row.data === 'string' ? (JSON.parse(row.data) as Record<string, unknown>) : row.data;
    const shown = idNumbers === 'masked' && row.entity === 'customer' ? { ...data, idNumber: maskIdNumber(data.idNumber as string) } : data;
    return { ...head, op: 'upsert', data: shown } as SyncChange;
  });
  return { changes, nextCursor: page.at(-1)?.change_seq ?? after, hasMore: rows.length > limit };
}

async function servedPage(after: number, limit: number, idNumbers: IdNumberView) {
  const { scope, ...page } = ScopedSyncChangesResponse.parse(JSON.parse((await readChangesPageJson(api.db, after, limit, idNumbers)).toString()));
  expect(scope).toBe(WHOLE_BOOK_SCOPE);
  return page;
}

describe('the change page as PostgreSQL writes it', () => {
  it.each<IdNumberView>(['full', 'masked'])('serves every page as the stored rows say (%s ID numbers)', async (idNumbers) => {
    for (const limit of [1, 3, 7, 1000]) {
      let after = 0;
      for (let pages = 0; pages < 200; pages += 1) {
        const served = await servedPage(after, limit, idNumbers);
        expect(served, `after ${after}, limit ${limit}`).toEqual(await expectedPage(after, limit, idNumbers));
        if (!served.hasMore) break;
        after = served.nextCursor;
      }
    }
  });

  it('keeps an escaped clear number out of a masked page, and leaves a name that spells out the field alone', async () => {
    const body = (await readChangesPageJson(api.db, 0, 1000, 'masked')).toString();
    expect(body).not.toContain(JSON.stringify(ESCAPED_ID_NUMBER).slice(1, -1));
    const customers = new Map(
      SyncChangesResponse.parse(JSON.parse(body)).changes.flatMap((c) => (c.op === 'upsert' && c.entity === 'customer' ? [[c.id, c.data] as const] : [])),
    );
    expect(customers.get(generateDemoCustomer(CUSTOMERS + 1).id)?.idNumber).toBe(maskIdNumber(ESCAPED_ID_NUMBER));
    expect(customers.get(generateDemoCustomer(CUSTOMERS + 2).id)?.name).toBe('"idNumber": "110105199003070000"');
  });

  it('answers GET /sync/changes with the page as UTF-8, its length and charset named', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/sync/changes?after=0&limit=1000', headers: bearer(await login(api.app, 'agent01')) });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(response.headers['content-length'])).toBe(response.rawPayload.length);
    const { changes } = ScopedSyncChangesResponse.parse(JSON.parse(response.rawPayload.toString('utf8')));
    const wide = changes.find((c) => c.id === generateDemoCustomer(CUSTOMERS + 3).id);
    expect(wide?.op === 'upsert' && wide.entity === 'customer' ? wide.data.name : undefined).toBe(WIDE_NAME);
  });

  it('answers GET /sync/snapshot with the page as UTF-8, its length and charset named', async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: '/sync/snapshot?entity=customer&limit=1000',
      headers: bearer(await login(api.app, 'agent01')),
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(response.headers['content-length'])).toBe(response.rawPayload.length);
    const { rows } = ScopedSyncSnapshotResponse.parse(JSON.parse(response.rawPayload.toString('utf8')));
    const wide = rows.find(([id]) => id === generateDemoCustomer(CUSTOMERS + 3).id);
    expect(wide === undefined ? undefined : (JSON.parse(wide[2]) as { name: string }).name).toBe(WIDE_NAME);
  });

  it('refuses a masked page holding a customer whose ID number it cannot find, and serves it in full', async () => {
    const id = generateDemoCustomer(5).id;
    const [row] = await api.db.query<{ change_seq: number }>('SELECT change_seq FROM customers WHERE id = $1', [id]);
    const after = Number(row!.change_seq) - 1;
    await api.db.query(`UPDATE customers SET data = data - 'idNumber' WHERE id = $1`, [id]);
    try {
      await expect(readChangesPageJson(api.db, after, 1, 'masked')).rejects.toThrow(/without an idNumber field/);
      // Served as stored to a role that sees ID numbers (no number to hide); not a valid Customer, which is the writer's concern.
      const full = JSON.parse((await readChangesPageJson(api.db, after, 1, 'full')).toString()) as { changes: { id: string }[] };
      expect(full.changes.map((c) => c.id)).toEqual([id]);
    } finally {
      await api.db.query(`UPDATE customers SET data = jsonb_set(data, '{idNumber}', to_jsonb(id_number)) WHERE id = $1`, [id]);
    }
  });
});
