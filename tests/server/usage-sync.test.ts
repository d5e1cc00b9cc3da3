// Usage rows on the central API: a month close publishes one usage row per billed customer and no
// customer version; the change feed and the snapshot serve them filtered by cache scope like the
// customer they belong to (entering and leaving with the customer); the card a miss is answered
// with carries the row; server-side readers (the scorer's pages) see the window the row holds.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardByPhoneResponse, ScopedSyncChangesResponse, ScopedSyncSnapshotResponse } from '../../shared/contract/cache-scope';
import type { CustomerUsage } from '../../shared/contract/entities';
import type { CentralApi } from '../../server/app';
import { customerPages } from '../../server/scoring/rescore-book';
import { setCacheScope } from '../../server/sync/cache-scopes';
import { TEST_NOW } from '../support/test-clock';
import { importFile, scratchDir } from '../import/support';
import { bearer, login, startTestApi } from './support/test-api';

const scratch = scratchDir('clm-usage-sync-');
const USAGE_MAPPING = { entity: 'usage', key: 'cust', fields: { month: { column: 'ym', format: 'YYYYMM' }, arpu: 'fee', dataGb: 'gb', voiceMinutes: 'min' } };
let files = 0;
const importMonth = (month: string, lines: [id: string, arpu: number][]) =>
  importFile(
    api.db,
    scratch.file(`bills-${++files}.csv`, `cust,ym,fee,gb,min\n${lines.map(([id, arpu]) => `${id},${month},${arpu},10,100`).join('\n')}\n`),
    USAGE_MAPPING,
    { asOf: TEST_NOW.toISOString().slice(0, 10) },
  );

let api: CentralApi;
let agent: string; // agent01, team T1
let gz: string;
let fs: string;

beforeAll(async () => {
  api = await startTestApi();
  await api.db.query(
    `INSERT INTO customer_profiles (customer_id, region)
     SELECT id, (ARRAY['GZ', 'FS'])[1 + mod(row_number() OVER (ORDER BY id), 2)] FROM customers WHERE NOT deleted`,
  );
  const first = async (region: string) =>
    (await api.db.query<{ customer_id: string }>('SELECT customer_id FROM customer_profiles WHERE region = $1 ORDER BY customer_id LIMIT 1', [region]))[0]!
      .customer_id;
  gz = await first('GZ');
  fs = await first('FS');
  await setCacheScope(api.db, { team: 'T1', regions: ['GZ'], hotSetCap: 0, by: 'test', now: TEST_NOW });
  for (const [i, month] of ['202607', '202608', '202609'].entries())
    await importMonth(month, [
      [gz, 50 + i],
      [fs, 80 - i],
    ]);
  agent = await login(api.app, 'agent01');
});
afterAll(async () => {
  await api?.close();
  scratch.remove();
});

/** The desk's pulls from `after`, naming the scope its rows were read for (as a desk does once it holds rows). */
async function pull(after: number, held?: string) {
  const changes: ScopedSyncChangesResponse['changes'] = [];
  let cursor = after;
  let scope = held;
  for (;;) {
    const query = `after=${cursor}&limit=500${scope === undefined ? '' : `&scope=${encodeURIComponent(scope)}`}`;
    const response = await api.app.inject({ method: 'GET', url: `/sync/changes?${query}`, headers: bearer(agent) });
    expect(response.statusCode, response.body).toBe(200);
    const page = ScopedSyncChangesResponse.parse(response.json());
    scope ??= page.scope;
    changes.push(...page.changes);
    if (page.scope !== scope) return { changes, cursor, scope: page.scope };
    cursor = page.nextCursor;
    if (!page.hasMore) return { changes, cursor, scope };
  }
}

/** The usage changes, each once (a customer entering a scope is served with its rows at the membership's seq as well). */
const usageOf = (changes: ScopedSyncChangesResponse['changes']) => [
  ...new Map(
    changes
      .filter((c) => c.entity === 'usage')
      .map((c) => (c.op === 'upsert' ? [c.op, c.id, (c.data as CustomerUsage).endMonth] : [c.op, c.id]))
      .map((change) => [JSON.stringify(change), change]),
  ).values(),
];

async function snapshotUsage(token: string): Promise<string[]> {
  const response = await api.app.inject({ method: 'GET', url: '/sync/snapshot?entity=usage&limit=20000', headers: bearer(token) });
  expect(response.statusCode, response.body).toBe(200);
  return ScopedSyncSnapshotResponse.parse(response.json()).rows.map(([id]) => id);
}

describe('usage rows through the change feed and the snapshot', () => {
  it("are filtered by cache scope like their customer: a scope's desk gets its members' rows only", async () => {
    expect(await snapshotUsage(agent)).toEqual([gz]);
    expect((await snapshotUsage(await login(api.app, 'agent04'))).sort()).toEqual([fs, gz].sort()); // team T2: the whole book
    const { changes } = await pull(0);
    expect(usageOf(changes)).toEqual([['upsert', gz, '2026-09']]);
  });

  it('a month close is one usage row per billed customer in the scope and no customer, score or contact change', async () => {
    const { cursor, scope } = await pull(0);
    const { summary } = await importMonth('202610', [
      [gz, 53],
      [fs, 77],
    ]);
    expect(summary).toMatchObject({ inserted: 2, republished: 0 });
    const { changes } = await pull(cursor, scope);
    expect(changes.map((c) => [c.op, c.entity, c.id])).toEqual([['upsert', 'usage', gz]]);
    const usage = changes[0]!.op === 'upsert' ? (changes[0]!.data as CustomerUsage) : null;
    expect(usage).toMatchObject({ endMonth: '2026-10', arpu: [0, 0, 0, 0, 0, 0, 0, 0, 50, 51, 52, 53] });
  });

  it('a customer entering the scope brings its usage row; one leaving takes it away', async () => {
    const { cursor, scope } = await pull(0);
    await setCacheScope(api.db, { team: 'T1', regions: ['FS'], hotSetCap: 0, by: 'test', now: TEST_NOW });
    const { changes } = await pull(cursor, scope);
    expect(usageOf(changes).filter(([, id]) => id === gz || id === fs)).toEqual(
      expect.arrayContaining([
        ['upsert', fs, '2026-10'],
        ['delete', gz],
      ]),
    );
    await setCacheScope(api.db, { team: 'T1', regions: ['GZ'], hotSetCap: 0, by: 'test', now: TEST_NOW });
  });

  it("a card answered from the server carries the customer's usage row, and the scorer's pages read its window", async () => {
    const [{ phone }] = (await api.db.query<{ phone: string }>('SELECT phone FROM customers WHERE id = $1', [fs])) as [{ phone: string }];
    const response = await api.app.inject({
      method: 'GET',
      url: `/cards/by-phone/${phone}?purpose=call&viewId=${uuidv7()}&deviceId=desk-usage`,
      headers: bearer(agent),
    });
    expect(response.statusCode, response.body).toBe(200);
    const answer = CardByPhoneResponse.parse(response.json());
    expect(answer.rows.find((row) => row.entity === 'usage')?.data).toMatchObject({ customerId: fs, endMonth: '2026-10' });
    expect(answer.card.customer?.id).toBe(fs);

    for await (const page of customerPages(api.db, 1000)) {
      const seen = page.find((customer) => customer.id === fs);
      if (seen !== undefined) expect(seen.arpu.slice(-4)).toEqual([80, 79, 78, 77]);
    }
  });
});
