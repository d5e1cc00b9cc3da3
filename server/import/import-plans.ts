// The operator's plan codes with names (zh/en) and monthly fee. Customer documents copy a
// plan's name and fee, so a renamed or re-priced plan re-publishes the customers on it: the
// name always, the fee where it was the plan's fee (a fee from the customer file stays).
import { Customer } from '../../shared/contract/entities';
import type { SqlClient } from '../db/sql-client';
import { lockChangeLog, upsertCustomers } from '../sync/change-log';
import {
  emptyBatchResult,
  inTransactionUnlessDry,
  writtenWhenItsTurnComes,
  type BatchResult,
  type EntityImporter,
  type ImportContext,
  type SourceRow,
} from './entity-importer';

interface Plan {
  code: string;
  name_zh: string;
  name_en: string;
  monthly_fee: number;
}

const cents = (value: number) => Math.round(value * 100) / 100;

function planOf(values: SourceRow['values']): Plan {
  const nameZh = values.nameZh as string;
  return { code: values.code as string, name_zh: nameZh, name_en: (values.nameEn as string | null) ?? nameZh, monthly_fee: cents(values.monthlyFee as number) };
}

const samePlan = (a: Plan, b: Plan) => a.name_zh === b.name_zh && a.name_en === b.name_en && a.monthly_fee === b.monthly_fee;

async function republishCustomersOn(tx: SqlClient, before: Plan, after: Plan): Promise<number> {
  const rows = await tx.query<{ data: unknown }>('SELECT data FROM customers WHERE NOT deleted AND plan_code = $1', [after.code]);
  const customers = rows.map((r) => Customer.parse(r.data));
  const updated = customers.map((c) => ({
    ...c,
    planName: { zh: after.name_zh, en: after.name_en },
    monthlyFee: c.monthlyFee === before.monthly_fee ? after.monthly_fee : c.monthlyFee,
  }));
  return (await upsertCustomers(tx, updated)).length;
}

async function applyBatch(db: SqlClient, batch: readonly SourceRow[], context: ImportContext): Promise<BatchResult> {
  return inTransactionUnlessDry(db, context, async (client) => {
    if (!context.dryRun) await lockChangeLog(client);
    const plans = batch.map((r) => planOf(r.values));
    const stored = await client.query<Plan>('SELECT code, name_zh, name_en, monthly_fee::float8 AS monthly_fee FROM plans WHERE code = ANY($1)', [
      plans.map((p) => p.code),
    ]);
    const before = new Map(stored.map((p) => [p.code, p]));
    const result = emptyBatchResult();
    const changed = plans.filter((plan) => {
      const old = before.get(plan.code);
      if (old === undefined) result.inserted += 1;
      else if (samePlan(old, plan)) result.unchanged += 1;
      else result.updated += 1;
      return old === undefined || !samePlan(old, plan);
    });
    if (context.dryRun || changed.length === 0) return result;
    await client.query(
      `INSERT INTO plans (code, name_zh, name_en, monthly_fee)
       SELECT p.code, p.name_zh, p.name_en, p.monthly_fee FROM jsonb_to_recordset($1::jsonb) AS p(code text, name_zh text, name_en text, monthly_fee numeric)
       ON CONFLICT (code) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, monthly_fee = EXCLUDED.monthly_fee, updated_at = now()`,
      [JSON.stringify(changed)],
    );
    for (const plan of changed) {
      const old = before.get(plan.code);
      if (old !== undefined) result.republished += await republishCustomersOn(client, old, plan);
    }
    return result;
  });
}

export const plansImporter: EntityImporter = { entity: 'plans', uniqueWithinFile: () => [], prepareBatch: writtenWhenItsTurnComes(applyBatch) };
