import { describe, expect, it } from 'vitest';
import { toCsvTable } from '../../shared/analytics/dataset/csv-table';
import { readFeatureMatrix } from '../../shared/analytics/dataset/feature-matrix';
import { brierScore } from '../../shared/analytics/metrics';
import { compileChurnModel } from '../../shared/analytics/models/churn-model';
import { fitLogisticRegression } from '../../shared/analytics/models/logistic-regression';
import { sigmoid } from '../../shared/analytics/models/sigmoid';
import { normalDraw, seededRandom } from '../../shared/analytics/random';
import { evaluateModel, createBatchScorer } from '../../shared/analytics/score-rows';
import { trainChurnModel } from '../../shared/analytics/train-churn-model';
import { mixedRows, TRAIN_DEFAULTS, xorRows } from './churn-fixtures';

describe('L2 logistic regression (Newton)', () => {
  it('recovers the coefficients that generated the data', () => {
    const random = seededRandom(11);
    const rows = 20_000;
    const truth = { intercept: -1, weights: [2, -1, 0.5] };
    const x = new Float64Array(rows * 3);
    const labels = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) {
      let margin = truth.intercept;
      for (let j = 0; j < 3; j++) {
        const value = normalDraw(random);
        x[i * 3 + j] = value;
        margin += (truth.weights[j] as number) * value;
      }
      labels[i] = random.float() < sigmoid(margin) ? 1 : 0;
    }
    const fit = fitLogisticRegression(x, rows, 3, labels, null, { l2: 1e-6, maxIterations: 50, tolerance: 1e-10 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(truth.intercept, 1);
    truth.weights.forEach((w, j) => expect(fit.coefficients[j]).toBeCloseTo(w, 1));
  });
  it('stays finite on perfectly separable data thanks to the penalty', () => {
    const x = Float64Array.from([-2, -1, 1, 2]);
    const fit = fitLogisticRegression(x, 4, 1, Uint8Array.from([0, 0, 1, 1]), null, { l2: 1, maxIterations: 100, tolerance: 1e-10 });
    expect(Number.isFinite(fit.coefficients[0])).toBe(true);
    expect(fit.coefficients[0]).toBeGreaterThan(0);
  });
});

describe('gradient-boosted trees', () => {
  it('learns an XOR interaction that logistic regression cannot', () => {
    const train = xorRows(3000, 1);
    const test = xorRows(2000, 2);
    const options = { target: 'churn', positive: 'yes', folds: 2, ...TRAIN_DEFAULTS };
    const gbdt = trainChurnModel(train, { ...options, algo: 'gbdt' });
    const logit = trainChurnModel(train, { ...options, algo: 'logit' });
    expect(evaluateModel(gbdt, test, 'churn', 'yes').auc).toBeGreaterThan(0.9);
    expect(evaluateModel(logit, test, 'churn', 'yes').auc).toBeLessThan(0.6);
  });
  it('is reproducible for a seed', () => {
    const rows = mixedRows(800, 3);
    const options = { algo: 'gbdt', target: 'churn', positive: 'Yes', idColumn: 'id', folds: 2, ...TRAIN_DEFAULTS } as const;
    expect(trainChurnModel(rows, options)).toEqual(trainChurnModel(rows, options));
  });
});

describe('calibration', () => {
  it('Platt scaling repairs the probabilities that balanced class weights distort (lower Brier)', () => {
    const train = mixedRows(4000, 5, -3.5);
    const test = mixedRows(4000, 6, -3.5);
    for (const algo of ['logit', 'gbdt'] as const) {
      const model = trainChurnModel(train, { algo, target: 'churn', positive: 'Yes', idColumn: 'id', classWeight: 'balanced', folds: 3, ...TRAIN_DEFAULTS });
      const table = toCsvTable(test);
      const labels = Uint8Array.from(table.records, (r) => (r[4] === 'Yes' ? 1 : 0));
      const features = readFeatureMatrix(table, model.preprocessing, 'reject');
      const raw = compileChurnModel(model.model, model.preprocessing).margins(features).map(sigmoid);
      const calibrated = createBatchScorer(model).probabilities(features);
      expect(brierScore(calibrated, labels)).toBeLessThan(brierScore(raw, labels) * 0.8);
    }
  });
});
