// Customers from the operator's file → the synced customer documents (through the change log,
// so desks get them with their next pull), plus the server-only profile (region, extra numbers).
// Usage and complaint counters are not in this file: an existing customer keeps theirs.
import type { z } from 'zod';
import { Customer } from '../../shared/contract/entities';
import { maskPhone } from '../../shared/domain/masking';
import type { SqlClient } from '../db/sql-client';
import { lockChangeLog, upsertCustomers } from '../sync/change-log';
import {
  emptyBatchResult,
  inTransactionUnlessDry,
  sameDocument,
  type BatchResult,
  type EntityImporter,
  type ImportContext,
  type RowValues,
  type SourceRow,
} from './entity-importer';

/**
 * No ID number on file. The contract wants 15–18 characters, and a made-up number would be
 * searchable and look real; asterisks mask to themselves and match no ID search.
 */
export const NO_ID_NUMBER = '*'.repeat(18);
const EMPTY_YEAR: readonly number[] = Array.from({ length: 12 }, () => 0);
const CLOSE_PAGE = 1000;

interface CustomerRow {
  id: string;
  phone: string;
  joinDate: string;
  planCode: string;
  name: string | null;
  idNumber: string | null;
  monthlyFee: number | null;
  contractEnd: string | null;
  status: 'active' | 'churned';
  churnDate: string | null;
  marketingConsent: boolean;
  doNotDisturb: boolean;
  region: string | null;
  extraPhones: readonly string[];
}

interface PlanRow {
  code: string;
  name_zh: string;
  name_en: string;
  monthly_fee: number;
}

interface Profile {
  region: string | null;
  extraPhones: string;
}

const asCustomerRow = (values: RowValues) => values as unknown as CustomerRow;
const profileOf = (row: CustomerRow): Profile => ({ region: row.region, extraPhones: [...row.extraPhones].sort().join(',') });

/** Only active customers: a tombstone (the row of a deleted customer) has no document to build on. */
async function existingDocuments(db: SqlClient, ids: readonly string[]): Promise<Map<string, Customer>> {
  const rows = await db.query<{ id: string; data: unknown }>('SELECT id, data FROM customers WHERE NOT deleted AND id = ANY($1)', [ids]);
  return new Map(rows.map((r) => [r.id, Customer.parse(r.data)]));
}

interface StoredCustomer {
  /** The live document, if any. */
  document: Customer | undefined;
  /** Whether the id was ever in the book (a deleted customer's tombstone counts). */
  known: boolean;
  profile: Profile;
}

/** What the book holds for each id, in one query: document, tombstone and profile. */
async function storedCustomers(db: SqlClient, ids: readonly string[]): Promise<Map<string, StoredCustomer>> {
  const rows = await db.query<{ id: string; data: unknown; deleted: boolean | null; region: string | null; extra: string | null }>(
    `SELECT i.id, c.data, c.deleted, p.region,
       (SELECT string_agg(phone, ',' ORDER BY phone) FROM customer_extra_phones e WHERE e.customer_id = i.id) AS extra
     FROM unnest($1::text[]) AS i(id)
     LEFT JOIN customers c ON c.id = i.id
     LEFT JOIN customer_profiles p ON p.customer_id = i.id`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        // Checked against the contract when it was written (the change log validates every document).
        document: r.deleted === false ? (r.data as Customer) : undefined,
        known: r.deleted !== null,
        profile: { region: r.region, extraPhones: r.extra ?? '' },
      },
    ]),
  );
}

async function plansByCode(db: SqlClient, codes: readonly string[]): Promise<Map<string, PlanRow>> {
  const rows = await db.query<PlanRow>('SELECT code, name_zh, name_en, monthly_fee::float8 AS monthly_fee FROM plans WHERE code = ANY($1)', [codes]);
  return new Map(rows.map((r) => [r.code, r]));
}

/** Who holds each of these numbers now, as a main or an extra number. */
async function phoneOwners(db: SqlClient, phones: readonly string[]): Promise<Map<string, string>> {
  const rows = await db.query<{ phone: string; id: string }>(
    `SELECT phone, id FROM customers WHERE NOT deleted AND phone = ANY($1)
     UNION ALL SELECT phone, customer_id AS id FROM customer_extra_phones WHERE phone = ANY($1)`,
    [phones],
  );
  return new Map(rows.map((r) => [r.phone, r.id]));
}

function customerDocument(row: CustomerRow, plan: PlanRow, before: Customer | undefined): z.input<typeof Customer> {
  return {
    id: row.id,
    name: row.name ?? maskPhone(row.phone),
    phone: row.phone,
    idNumber: row.idNumber ?? NO_ID_NUMBER,
    planCode: row.planCode,
    planName: { zh: plan.name_zh, en: plan.name_en },
    monthlyFee: row.monthlyFee ?? plan.monthly_fee,
    joinDate: row.joinDate,
    contractEnd: row.contractEnd,
    status: row.status,
    churnDate: row.status === 'churned' ? (row.churnDate ?? before?.churnDate ?? null) : null,
    arpu: before?.arpu ?? [...EMPTY_YEAR],
    dataUsageGb: before?.dataUsageGb ?? [...EMPTY_YEAR],
    voiceMinutes: before?.voiceMinutes ?? [...EMPTY_YEAR],
    complaints30d: before?.complaints30d ?? 0,
    complaints90d: before?.complaints90d ?? 0,
    networkIssues90d: before?.networkIssues90d ?? 0,
    marketingConsent: row.marketingConsent,
    doNotDisturb: row.doNotDisturb,
    version: before?.version ?? 1,
  };
}

async function writeProfiles(tx: SqlClient, rows: readonly CustomerRow[]): Promise<void> {
  if (rows.length === 0) return;
  const ids = rows.map((r) => r.id);
  await tx.query(
    `INSERT INTO customer_profiles (customer_id, region) SELECT * FROM unnest($1::text[], $2::text[])
     ON CONFLICT (customer_id) DO UPDATE SET region = EXCLUDED.region`,
    [ids, rows.map((r) => r.region)],
  );
  await tx.query('DELETE FROM customer_extra_phones WHERE customer_id = ANY($1)', [ids]);
  const extra = rows.flatMap((r) => r.extraPhones.map((phone) => [phone, r.id] as const));
  if (extra.length > 0)
    await tx.query('INSERT INTO customer_extra_phones (phone, customer_id) SELECT * FROM unnest($1::text[], $2::text[])', [
      extra.map(([phone]) => phone),
      extra.map(([, id]) => id),
    ]);
}

async function applyBatch(db: SqlClient, batch: readonly SourceRow[], context: ImportContext): Promise<BatchResult> {
  return inTransactionUnlessDry(db, context, async (client) => {
    // Taken before reading, like every change-log writer: no other writer can slip in between
    // the check of a phone's owner and the write.
    if (!context.dryRun) await lockChangeLog(client);
    const rows = batch.map((r) => asCustomerRow(r.values));
    const ids = rows.map((r) => r.id);
    const stored = await storedCustomers(client, ids);
    const plans = await plansByCode(client, [...new Set(rows.map((r) => r.planCode))]);
    const owners = await phoneOwners(
      client,
      rows.flatMap((r) => [r.phone, ...r.extraPhones]),
    );
    const result = emptyBatchResult();
    const changedDocuments: Customer[] = [];
    const changedProfiles: CustomerRow[] = [];
    batch.forEach(({ row: rowNumber, raw }, i) => {
      const row = rows[i]!;
      const reject = (column: string, value: string, reason: string) => result.rejected.push({ row: rowNumber, raw, problem: { column, value, reason } });
      const plan = plans.get(row.planCode);
      if (plan === undefined) return reject('planCode', row.planCode, `plan code "${row.planCode}" is not in the plans table (import plans first)`);
      const taken = [row.phone, ...row.extraPhones].find((phone) => owners.has(phone) && owners.get(phone) !== row.id);
      if (taken !== undefined)
        return reject(taken === row.phone ? 'phone' : 'extraPhones', taken, `number ${maskPhone(taken)} belongs to customer ${owners.get(taken)}`);
      const { document: before, known, profile: storedProfile } = stored.get(row.id)!;
      const built = Customer.safeParse(customerDocument(row, plan, before));
      // The field checks should have caught everything; if the contract still refuses, the row is rejected, not the batch.
      if (!built.success)
        return reject(String(built.error.issues[0]?.path[0] ?? ''), '', `not a valid customer: ${built.error.issues[0]?.message ?? 'invalid'}`);
      const document = built.data;
      const documentChanged = before === undefined || !sameDocument(before, document);
      const profile = profileOf(row);
      const profileChanged = storedProfile.region !== profile.region || storedProfile.extraPhones !== profile.extraPhones;
      if (documentChanged) changedDocuments.push(document);
      if (profileChanged) changedProfiles.push(row);
      if (!known) result.inserted += 1;
      else if (documentChanged || profileChanged) result.updated += 1;
      else result.unchanged += 1;
    });
    if (!context.dryRun) {
      await upsertCustomers(client, changedDocuments);
      await writeProfiles(client, changedProfiles);
    }
    return result;
  });
}

/**
 * A --full snapshot no longer lists these active customers: their accounts are closed (status
 * churned, churned on the snapshot's day), published like any change. Nothing is deleted: the
 * customer's history, outcomes and win-back stay.
 */
async function closeMissing(db: SqlClient, listed: ReadonlySet<string>, context: ImportContext): Promise<number> {
  const close = (customer: Customer): Customer => ({ ...customer, status: 'churned', churnDate: context.asOf });
  let closed = 0;
  for (let after = ''; ;) {
    const page = await db.query<{ id: string }>(
      `SELECT id FROM customers WHERE NOT deleted AND status = 'active' AND id > $1 ORDER BY id LIMIT ${CLOSE_PAGE}`,
      [after],
    );
    if (page.length === 0) return closed;
    after = page.at(-1)!.id;
    const missing = page.map((r) => r.id).filter((id) => !listed.has(id));
    if (missing.length === 0) continue;
    if (context.dryRun) closed += missing.length;
    else
      closed += await db.transaction(async (tx) => {
        await lockChangeLog(tx);
        // Read under the lock: only customers still active are closed.
        const active = [...(await existingDocuments(tx, missing)).values()].filter((c) => c.status === 'active');
        return (await upsertCustomers(tx, active.map(close))).length;
      });
  }
}

export const customersImporter: EntityImporter = {
  entity: 'customers',
  uniqueWithinFile: (values) => {
    const row = asCustomerRow(values);
    return [row.phone, ...row.extraPhones].map((value) => ({ field: 'phone', value }));
  },
  applyBatch,
  closeMissing,
};
