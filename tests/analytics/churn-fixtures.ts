// Synthetic churn tables for the model tests, as rows of strings (header first) like a CSV
// parser returns them.
import { normalDraw, seededRandom } from '../../shared/analytics/random';
import { sigmoid } from '../../shared/analytics/models/sigmoid';

export type Rows = string[][];

/** churn = (a·b > 0) with 5 % label noise, plus an uninformative column: an interaction no linear model sees. */
export function xorRows(count: number, seed: number): Rows {
  const random = seededRandom(seed);
  const rows: Rows = [['a', 'b', 'noise', 'churn']];
  for (let i = 0; i < count; i++) {
    const a = random.float() * 2 - 1;
    const b = random.float() * 2 - 1;
    const flip = random.float() < 0.05;
    const churn = a * b > 0 !== flip;
    rows.push([a.toFixed(4), b.toFixed(4), random.float().toFixed(4), churn ? 'yes' : 'no']);
  }
  return rows;
}

/**
 * A small mixed table: numeric tenure and charges (some charges blank), a contract category,
 * churn drawn from a known logistic model with intercept `intercept` (negative = rare churn).
 */
export function mixedRows(count: number, seed: number, intercept = -1): Rows {
  const random = seededRandom(seed);
  const contracts = ['Month-to-month', 'One year', 'Two year'];
  const contractEffect = [1, -0.5, -1.5];
  const rows: Rows = [['id', 'tenure', 'charges', 'contract', 'churn']];
  for (let i = 0; i < count; i++) {
    const tenure = Math.floor(random.float() * 72);
    const charges = 20 + random.float() * 100;
    const contract = random.int(3);
    const margin = intercept - 0.04 * (tenure - 36) + 0.02 * (charges - 70) + (contractEffect[contract] as number) + 0.3 * normalDraw(random);
    const churn = random.float() < sigmoid(margin);
    rows.push([`C${i}`, String(tenure), i % 37 === 5 ? ' ' : charges.toFixed(2), contracts[contract] as string, churn ? 'Yes' : 'No']);
  }
  return rows;
}

export const TRAIN_DEFAULTS = { createdAt: '2026-11-15T08:00:00Z', seed: 7 } as const;
