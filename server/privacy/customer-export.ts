// `clm privacy export`: every row the central database holds about one customer (a subject-access
// request), read in one snapshot and written atomically: a temp file beside the target, then a
// rename, so the file at --out is either absent or complete.
import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SqlClient } from '../db/sql-client';
import { CUSTOMER_RECORD_SECTIONS, customerExists, customerPhones, UnknownCustomerError } from './customer-records';

export interface CustomerExport {
  customerId: string;
  exportedAt: string;
  phones: string[];
  /** Table name -> its rows about the customer, as stored. */
  tables: Record<string, unknown[]>;
}

export async function collectCustomerExport(db: SqlClient, customerId: string, now: Date): Promise<CustomerExport> {
  return db.transaction(async (tx) => {
    // One snapshot for every table, so a write landing mid-export cannot make the sections disagree.
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    if (!(await customerExists(tx, customerId))) throw new UnknownCustomerError(customerId);
    const phones = await customerPhones(tx, customerId);
    const tables: Record<string, unknown[]> = {};
    for (const section of CUSTOMER_RECORD_SECTIONS) {
      const rows = await tx.query<{ row: unknown }>(section.sql, [customerId]);
      tables[section.name] = rows.map((r) => r.row);
    }
    return { customerId, exportedAt: now.toISOString(), phones, tables };
  });
}

export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, text, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function exportCustomer(db: SqlClient, customerId: string, file: string, now: Date): Promise<CustomerExport> {
  const exported = await collectCustomerExport(db, customerId, now);
  await writeFileAtomically(file, `${JSON.stringify(exported, null, 2)}\n`);
  return exported;
}
