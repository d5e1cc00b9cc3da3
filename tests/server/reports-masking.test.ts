// The outcome report masks phone numbers in SQL (mask_phone, migration 0023): it must give
// exactly what maskPhone gives, for contract numbers and for anything else a column might hold.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { maskPhone } from '../../shared/domain/masking';
import { runMigrations } from '../../server/db/migrate';
import { openSqlClient } from '../../server/db/open-sql-client';
import type { SqlClient } from '../../server/db/sql-client';

let db: SqlClient;
beforeAll(async () => {
  ({ db } = await openSqlClient({}));
  await runMigrations(db);
});
afterAll(() => db?.close());

const PHONES = [
  '13812345678',
  '19999999999',
  '1381234', // 7: the shortest kept as 3 + 4
  '138123', // 6: only the last 2 kept
  '123',
  '12',
  '1',
  '',
  '  13812345678  ',
  '\t13812345678\n',
  '\u00a013812345678\u3000',
  '\ufeff138 1234 5678\u2028',
  '   ',
  '+86 138 1234 5678',
  '13\'"\\8',
];

async function maskedInSql(phones: readonly (string | null)[]): Promise<(string | null)[]> {
  const rows = await db.query<{ masked: string | null }>(
    'SELECT mask_phone(p.phone) AS masked FROM unnest($1::text[]) WITH ORDINALITY AS p(phone, n) ORDER BY p.n',
    [phones],
  );
  return rows.map((r) => r.masked);
}

it('masks in SQL exactly as maskPhone does', async () => {
  expect(await maskedInSql(PHONES)).toEqual(PHONES.map(maskPhone));
  expect(await maskedInSql(['13812345678'])).toEqual(['138****5678']);
});

it('keeps a missing phone missing', async () => {
  expect(await maskedInSql([null, '13812345678'])).toEqual([null, '138****5678']);
});
