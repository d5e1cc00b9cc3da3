// The two public data sets in shared/data (IBM Telco, BigML churn), read in place, never copied
// into the repo, and the shipped example mappings for them.
//
// FIXTURE NOTE: neither public file has phone numbers, which the book requires. withPhoneColumn
// writes a copy of a file to a scratch path with one added column, "phone", deterministic per row
// (139 + the row index); everything else is the public file byte for byte (its first rows only,
// when a test asks for fewer).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';

const repoRoot = resolve(import.meta.dirname, '../..');
const sharedData = resolve(repoRoot, '../shared/data');

export const IBM_TELCO_CSV = join(sharedData, 'ibm-telco/telco-customer-churn.csv');
export const BIGML_CHURN_CSV = join(sharedData, 'bigml-churn/churn-bigml-80.csv');

/** A file of examples/mappings/. */
export const exampleMapping = (name: string) => join(repoRoot, 'examples/mappings', name);

export interface PublicFixture {
  path: string;
  /** The rows written, as objects by column name, "phone" included. */
  rows: Record<string, string>[];
}

/** Writes `source` with an added deterministic phone column to `target` (its first `rowLimit` rows when given). */
export function withPhoneColumn(source: string, target: string, rowLimit?: number): PublicFixture {
  const text = readFileSync(source, 'utf8');
  const [header, ...cells] = parse(text) as string[][];
  const [headerLine, ...lines] = text.replace(/\n$/, '').split('\n');
  const kept = lines.slice(0, rowLimit);
  const phone = (i: number) => `139${String(i).padStart(8, '0')}`;
  writeFileSync(target, `${[`${headerLine},phone`, ...kept.map((line, i) => `${line},${phone(i)}`)].join('\n')}\n`);
  return {
    path: target,
    rows: cells.slice(0, kept.length).map((row, i) => ({ ...Object.fromEntries(header!.map((h, j) => [h, row[j]!])), phone: phone(i) })),
  };
}

/** BigML's monthly charges as examples/mappings/bigml-churn-*.json sum them: day, evening, night and international, to the cent. */
export const bigmlCharges = (row: Record<string, string>) =>
  Math.round(['Total day charge', 'Total eve charge', 'Total night charge', 'Total intl charge'].reduce((sum, c) => sum + Number(row[c]), 0) * 100) / 100;

/** BigML's join date as bigml-churn-customers.json reads it: `Account length` days before 2026-11-01. */
export const bigmlJoinDate = (row: Record<string, string>) =>
  new Date(Date.parse('2026-11-01T00:00:00Z') - Number(row['Account length']) * 86_400_000).toISOString().slice(0, 10);
