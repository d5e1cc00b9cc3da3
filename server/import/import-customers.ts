// Customers from the operator's file → the synced customer documents (through the change log,
// so desks get them with their next pull), plus the server-only profile (region, extra numbers).
// Usage and complaint counters are not in this file: an existing customer keeps theirs.
import type { z } from 'zod';
import { Customer } from '../../shared/contract/entities';
import { maskPhone } from '../../shared/domain/masking';
import type { SqlClient } from '../db/sql-client';
import { lockChangeLog, upsertCustomers, upsertCustomersFrom } from '../sync/change-log';
import { emptyBatchResult, type EntityImporter, type ImportContext, type RowValues, type SourceRow, type WriteBatch } from './entity-importer';

/**
 * No ID number on file. The contract wants 15–18 characters, and a made-up number would be
 * searchable and look real; asterisks mask to themselves and match no ID search.
 */
export const NO_ID_NUMBER = '*'.repeat(18);
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

const asCustomerRow = (values: RowValues) => values as unknown as CustomerRow;

/** Only active customers: a tombstone (the row of a deleted customer) has no document to build on. */
async function existingDocuments(db: SqlClient, ids: readonly string[]): Promise<Map<string, Customer>> {
  const rows = await db.query<{ id: string; data: unknown }>('SELECT id, data FROM customers WHERE NOT deleted AND id = ANY($1)', [ids]);
  return new Map(rows.map((r) => [r.id, Customer.parse(r.data)]));
}

/**
 * The document fields a row of the file gives, checked against the contract in Node. The rest of a
 * document comes from the plans table (checked by the plans import) or from the stored document
 * (checked when it was written), so the documents completed in SQL below are whole and valid.
 */
const FieldsFromTheFile = Customer.pick({
  id: true,
  name: true,
  phone: true,
  idNumber: true,
  planCode: true,
  joinDate: true,
  contractEnd: true,
  status: true,
  churnDate: true,
  marketingConsent: true,
  doNotDisturb: true,
}).extend({ monthlyFee: Customer.shape.monthlyFee.nullable() });

interface PlanRow {
  code: string;
  name_zh: string;
  name_en: string;
  monthly_fee: number;
}

async function plansByCode(db: SqlClient, codes: readonly string[]): Promise<Map<string, PlanRow>> {
  const rows = await db.query<PlanRow>('SELECT code, name_zh, name_en, monthly_fee::float8 AS monthly_fee FROM plans WHERE code = ANY($1)', [codes]);
  return new Map(rows.map((r) => [r.code, r]));
}

/** What a new customer starts with and an existing one keeps from its stored document: usage series, ticket counts, version. */
const KEPT_FROM_THE_BOOK = (() => {
  const year = Array.from({ length: 12 }, () => 0);
  const initial = { arpu: year, dataUsageGb: year, voiceMinutes: year, complaints30d: 0, complaints90d: 0, networkIssues90d: 0, churnDate: null, version: 1 };
  return `'${JSON.stringify(initial)}'::jsonb`;
})();

/**
 * The document fields the file decides. A closed account without a closing date on file leaves
 * `churnDate` out, so the stored date stays (an active customer has none).
 */
function fileDocument(fields: z.infer<typeof FieldsFromTheFile>, plan: PlanRow): Partial<Customer> {
  // Spelled out rather than spread: this runs for every row, and spreading is several times slower.
  const document: Partial<Customer> = {
    id: fields.id,
    name: fields.name,
    phone: fields.phone,
    idNumber: fields.idNumber,
    planCode: fields.planCode,
    planName: { zh: plan.name_zh, en: plan.name_en },
    monthlyFee: fields.monthlyFee ?? plan.monthly_fee,
    joinDate: fields.joinDate,
    contractEnd: fields.contractEnd,
    status: fields.status,
    marketingConsent: fields.marketingConsent,
    doNotDisturb: fields.doNotDisturb,
  };
  if (fields.status === 'active') document.churnDate = null;
  else if (fields.churnDate !== null) document.churnDate = fields.churnDate;
  return document;
}

/** One batch's accepted rows, staged for the set-based statements below; dropped at commit. */
const STAGED = 'import_customer_rows';

/** The staged columns the batch sends (one JSON array of rows: one parse, no per-value escaping), with their types. */
const SENT_COLUMNS = [
  ['ord', 'int'],
  ['id', 'text'],
  ['phone', 'text'],
  // In the file's order (the first number another customer holds is the one reported), joined by commas.
  ['extra_phones', 'text'],
  ['region', 'text'],
  ['file_document', 'jsonb'],
] as const;

type SentRow = Record<(typeof SENT_COLUMNS)[number][0], unknown>;

/** The customer's live document (null for a deleted one), by one index probe per row whatever the planner thinks of the book's size. */
const LIVE_JOIN = `LEFT JOIN LATERAL (SELECT data FROM customers WHERE id = r.id AND NOT deleted LIMIT 1) live ON true`;
/** The document to publish: the stored one (or a new customer's start) with the file's fields over it; its version is the stored one. */
const DOCUMENT = `coalesce(live.data, ${KEPT_FROM_THE_BOOK}) || r.file_document`;

/**
 * The batch, staged with what the book holds for each row: whether the id was ever in the book (a
 * tombstone counts), and whether its document or its server-only profile (region, extra numbers)
 * differs from what is stored.
 */
const STAGE_SQL = `
  INSERT INTO ${STAGED}
  SELECT r.*, stored.id IS NOT NULL AS known,
    -- The file's fields hold no arrays, so containment is equality of each of them (cheaper than building the document to compare).
    stored.id IS NULL OR stored.deleted OR NOT stored.data @> r.file_document AS document_changed,
    profile.region IS DISTINCT FROM r.region OR coalesce(stored_extra.phones, '') <> file_extra.phones AS profile_changed
  FROM jsonb_to_recordset($1::jsonb) AS r(${SENT_COLUMNS.map(([c, type]) => `${c} ${type}`).join(', ')})
  -- One probe for both questions: was the id ever in the book (a tombstone counts), and its live document.
  LEFT JOIN LATERAL (SELECT id, deleted, data FROM customers WHERE id = r.id LIMIT 1) stored ON true
  LEFT JOIN LATERAL (SELECT region FROM customer_profiles WHERE customer_id = r.id LIMIT 1) profile ON true
  CROSS JOIN LATERAL (SELECT coalesce(string_agg(x, ',' ORDER BY x), '') AS phones FROM unnest(string_to_array(r.extra_phones, ',')) x) file_extra
  LEFT JOIN LATERAL (SELECT string_agg(e.phone, ',' ORDER BY e.phone) AS phones FROM customer_extra_phones e WHERE e.customer_id = r.id) stored_extra ON true`;

/**
 * Takes out of the batch the rows whose numbers another customer holds now (as a main or an extra
 * number), and returns the first such number of each (main, then extras in the file's order).
 */
const REFUSE_SQL = `
  WITH numbers AS (
    SELECT r.ord, r.id, n.phone, n.place
    FROM ${STAGED} r CROSS JOIN LATERAL unnest(array[r.phone] || string_to_array(r.extra_phones, ',')) WITH ORDINALITY AS n(phone, place)
  ), held AS (
    SELECT DISTINCT ON (n.ord) n.ord, CASE WHEN n.place = 1 THEN 'phone' ELSE 'extraPhones' END AS field, n.phone AS value, o.owner
    FROM numbers n
    JOIN LATERAL (
      SELECT id AS owner FROM customers WHERE NOT deleted AND phone = n.phone
      UNION ALL SELECT customer_id FROM customer_extra_phones WHERE phone = n.phone
    ) o ON o.owner <> n.id
    ORDER BY n.ord, n.place
  )
  DELETE FROM ${STAGED} r USING held h WHERE r.ord = h.ord
  RETURNING h.ord, h.field, h.value, h.owner`;

const COUNT_SQL = `
  SELECT count(*) FILTER (WHERE NOT known) AS inserted,
    count(*) FILTER (WHERE known AND (document_changed OR profile_changed)) AS updated,
    count(*) FILTER (WHERE known AND NOT document_changed AND NOT profile_changed) AS unchanged,
    count(*) FILTER (WHERE profile_changed) AS profiles
  FROM ${STAGED}`;

/**
 * The changed documents, for the change log's upsert (under the change-log lock, so `live` is what
 * STAGE_SQL compared with). OFFSET 0 builds each document once: inlined, it would be built again
 * for every column the upsert reads out of it.
 */
const CHANGED_DOCUMENTS = `${STAGED} r ${LIVE_JOIN} CROSS JOIN LATERAL (SELECT ${DOCUMENT} AS d OFFSET 0) document WHERE r.known AND r.document_changed`;
/** The documents of customers new to the book (never in it, not even deleted): nothing stored to read or to conflict with. */
const NEW_DOCUMENTS = `${STAGED} r CROSS JOIN LATERAL (SELECT ${KEPT_FROM_THE_BOOK} || r.file_document AS d OFFSET 0) document WHERE NOT r.known`;

/** Region and extra numbers of the staged rows whose profile changed, replaced whole. */
const WRITE_PROFILES_SQL = [
  `INSERT INTO customer_profiles (customer_id, region) SELECT id, region FROM ${STAGED} WHERE profile_changed
   ON CONFLICT (customer_id) DO UPDATE SET region = EXCLUDED.region`,
  `DELETE FROM customer_extra_phones e USING ${STAGED} r WHERE r.profile_changed AND e.customer_id = r.id`,
  `INSERT INTO customer_extra_phones (phone, customer_id)
   SELECT x, r.id FROM ${STAGED} r CROSS JOIN LATERAL unnest(string_to_array(r.extra_phones, ',')) x WHERE r.profile_changed`,
];

async function stageBatch(tx: SqlClient, sentRows: string): Promise<void> {
  await tx.query(
    `CREATE TEMP TABLE ${STAGED} (${SENT_COLUMNS.map(([c, type]) => `${c} ${type}`).join(', ')},
      known boolean, document_changed boolean, profile_changed boolean) ON COMMIT DROP`,
  );
  await tx.query(STAGE_SQL, [sentRows]);
}

/**
 * One batch, set-based. Prepared while the batch before it is written: each row's fields are
 * checked against the contract and its plan in Node. Then in one transaction: the batch is staged,
 * checked against the book (numbers held by others) and compared with it in SQL, and only
 * documents that differ go through the change log: new customers in one plain insert, changed
 * ones in one upsert.
 */
async function prepareBatch(db: SqlClient, batch: readonly SourceRow[], context: ImportContext): Promise<WriteBatch> {
  const result = emptyBatchResult();
  const reject = ({ row, raw }: SourceRow, column: string, value: string, reason: string) =>
    result.rejected.push({ row, raw, problem: { column, value, reason } });
  // Read outside the batch's transaction, as good as inside it: plans are not locked by an import either way.
  const plans = await plansByCode(db, [...new Set(batch.map((r) => asCustomerRow(r.values).planCode))]);
  const staged: SentRow[] = [];
  batch.forEach((source, ord) => {
    const row = asCustomerRow(source.values);
    const plan = plans.get(row.planCode);
    if (plan === undefined) return reject(source, 'planCode', row.planCode, `plan code "${row.planCode}" is not in the plans table (import plans first)`);
    const checked = FieldsFromTheFile.safeParse({
      id: row.id,
      name: row.name ?? maskPhone(row.phone),
      phone: row.phone,
      idNumber: row.idNumber ?? NO_ID_NUMBER,
      planCode: row.planCode,
      monthlyFee: row.monthlyFee,
      joinDate: row.joinDate,
      contractEnd: row.contractEnd,
      status: row.status,
      churnDate: row.churnDate,
      marketingConsent: row.marketingConsent,
      doNotDisturb: row.doNotDisturb,
    });
    // The field checks should have caught everything; if the contract still refuses, the row is rejected, not the batch.
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return reject(source, String(issue?.path[0] ?? ''), '', `not a valid customer: ${issue?.message ?? 'invalid'}`);
    }
    staged.push({
      ord,
      id: row.id,
      phone: row.phone,
      extra_phones: row.extraPhones.join(','),
      region: row.region,
      file_document: fileDocument(checked.data, plan),
    });
  });
  if (staged.length === 0) return async () => result;
  const sentRows = JSON.stringify(staged);
  // A dry run stages and compares too, in a transaction that writes nothing but its temporary table.
  return () =>
    db.transaction(async (tx) => {
      // Taken before reading, like every change-log writer: no other writer can slip in between
      // the check of a phone's owner and the write.
      if (!context.dryRun) await lockChangeLog(tx);
      // A batch's statements cost the planner enough to be compiled (PostgreSQL's JIT), which takes longer than running them.
      await tx.query('SET LOCAL jit = off');
      await stageBatch(tx, sentRows);
      for (const held of await tx.query<{ ord: number; field: string; value: string; owner: string }>(REFUSE_SQL))
        reject(batch[held.ord]!, held.field, held.value, `number ${maskPhone(held.value)} belongs to customer ${held.owner}`);
      const [counts] = await tx.query<{ inserted: number; updated: number; unchanged: number; profiles: number }>(COUNT_SQL);
      result.inserted = Number(counts?.inserted ?? 0);
      result.updated = Number(counts?.updated ?? 0);
      result.unchanged = Number(counts?.unchanged ?? 0);
      if (!context.dryRun) {
        if (result.updated > 0) await upsertCustomersFrom(tx, CHANGED_DOCUMENTS);
        if (result.inserted > 0) await upsertCustomersFrom(tx, NEW_DOCUMENTS, { knownNew: true });
        if (Number(counts?.profiles ?? 0) > 0) for (const sql of WRITE_PROFILES_SQL) await tx.query(sql);
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
  prepareBatch,
  closeMissing,
};
