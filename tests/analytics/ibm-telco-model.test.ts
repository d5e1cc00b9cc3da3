// Sanity check on the real IBM Telco file (read in place from ../shared/data, never copied):
// a model trained on a seeded 80 % split must rank the other 20 % at AUC ≥ 0.83.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvFile } from '../../server/cli/model-commands/read-csv-file';
import { toCsvTable } from '../../shared/analytics/dataset/csv-table';
import { readLabels } from '../../shared/analytics/dataset/labels';
import { stratifiedSplit } from '../../shared/analytics/metrics';
import { evaluateModel } from '../../shared/analytics/score-rows';
import { trainChurnModel } from '../../shared/analytics/train-churn-model';

const IBM_FILE = resolve(import.meta.dirname, '../../../shared/data/ibm-telco/telco-customer-churn.csv');

describe('IBM Telco churn (real data)', () => {
  const rows = readCsvFile(IBM_FILE);
  const split = stratifiedSplit(readLabels(toCsvTable(rows), 'Churn', 'Yes'), 0.2, 42);
  const subset = (indices: Uint32Array) => [rows[0] as string[], ...Array.from(indices, (i) => rows[i + 1] as string[])];
  it.each(['logit', 'gbdt'] as const)('%s reaches AUC ≥ 0.83 on a held-out 20 %', (algo) => {
    const model = trainChurnModel(subset(split.train), {
      algo,
      target: 'Churn',
      positive: 'Yes',
      idColumn: 'customerID',
      createdAt: '2026-11-15T08:00:00Z',
      folds: 3,
    });
    expect(model.training.columns.find((c) => c.name === 'TotalCharges')).toMatchObject({ type: 'numeric', role: 'feature' });
    expect(evaluateModel(model, subset(split.test), 'Churn', 'Yes').auc).toBeGreaterThanOrEqual(0.83);
  });
});
