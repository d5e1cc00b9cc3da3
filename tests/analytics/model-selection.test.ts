// Cross-validated model selection: which candidate wins on given out-of-fold margins, when the
// average of the best logit and the best trees wins, and that a blend artefact scores and explains
// itself like either family.
import { describe, expect, it } from 'vitest';
import { toCsvTable } from '../../shared/analytics/dataset/csv-table';
import { readFeatureMatrix } from '../../shared/analytics/dataset/feature-matrix';
import { loadModelArtifact } from '../../shared/analytics/model-artifact';
import { lowestBrier, selectModel, type ModelCandidate } from '../../shared/analytics/model-selection';
import { compileChurnModel } from '../../shared/analytics/models/churn-model';
import { normalDraw, seededRandom } from '../../shared/analytics/random';
import { trainChurnModel } from '../../shared/analytics/train-churn-model';
import { mixedRows, TRAIN_DEFAULTS, xorRows } from './churn-fixtures';

const GRID: ModelCandidate[] = [
  { label: 'logit weak', algo: 'logit', logit: { l2: 100 } },
  { label: 'logit', algo: 'logit' },
  { label: 'trees', algo: 'gbdt' },
];

/** Churn driven by two independent signals a and b; each candidate's "margins" are one of them or both. */
function twoSignals(count: number) {
  const random = seededRandom(5);
  const a = Float64Array.from({ length: count }, () => normalDraw(random));
  const b = Float64Array.from({ length: count }, () => normalDraw(random));
  const labels = Uint8Array.from(a, (ai, i) => (ai + (b[i] as number) + 0.5 * normalDraw(random) > 0 ? 1 : 0));
  const sum = a.map((ai, i) => ai + (b[i] as number));
  const noisyA = a.map((ai) => ai + 2 * normalDraw(random));
  return { a, b, sum, noisyA, labels };
}

describe('model selection', () => {
  it('takes the lowest Brier score, and the first of equals', () => {
    expect(lowestBrier([{ brier: 0.2 }, { brier: 0.1 }, { brier: 0.1 }, { brier: 0.15 }])).toBe(1);
    expect(() => lowestBrier([])).toThrow(/at least one candidate/);
  });

  it('averages the best logit with the trees when each sees a different half of the signal', () => {
    const { a, b, noisyA, labels } = twoSignals(4000);
    const margins: Record<string, Float64Array> = { 'logit weak': noisyA, logit: a, trees: b };
    const selected = selectModel(GRID, (candidate) => margins[candidate.label] as Float64Array, labels);
    expect(selected.kind).toBe('blend');
    if (selected.kind !== 'blend') return;
    expect([selected.logit.label, selected.gbdt.label, selected.logitWeight]).toEqual(['logit', 'trees', 0.5]);
    expect(selected.margins).toEqual(a.map((ai, i) => 0.5 * ai + 0.5 * (b[i] as number)));
    // Every single candidate and every weight of the blend was scored, and the winner has the lowest Brier.
    const { candidates, chosen } = selected.summary;
    expect(candidates.map((c) => c.label)).toEqual(['logit weak', 'logit', 'trees', ...[0.25, 0.5, 0.75].map((w) => `blend ${w}×(logit) + ${1 - w}×(trees)`)]);
    expect(chosen).toBe(candidates[lowestBrier(candidates)]?.label);
    expect(candidates.find((c) => c.label === chosen)?.auc).toBeGreaterThan(Math.max(...candidates.slice(0, 3).map((c) => c.auc)));
  });

  it('keeps one model alone when averaging only dilutes it', () => {
    const { a, sum, labels } = twoSignals(4000);
    const selected = selectModel(GRID, (candidate) => (candidate.algo === 'gbdt' ? sum : a), labels);
    expect(selected.kind).toBe('single');
    if (selected.kind === 'single') expect(selected.candidate.label).toBe('trees');
  });

  it('blends nothing when the grid has one family only', () => {
    const { a, noisyA, labels } = twoSignals(2000);
    const logits = GRID.filter((c) => c.algo === 'logit');
    const selected = selectModel(logits, (candidate) => (candidate.label === 'logit' ? a : noisyA), labels);
    expect(selected.summary.candidates).toHaveLength(2);
    expect(selected.kind === 'single' && selected.candidate.label).toBe('logit');
  });

  it("trains with algo 'auto': the trees win an interaction and the artefact records the comparison", () => {
    const rows = xorRows(1500, 3);
    const grid: ModelCandidate[] = [
      { label: 'logit', algo: 'logit' },
      { label: 'trees', algo: 'gbdt', gbdt: { maxIterations: 60 } },
    ];
    const model = trainChurnModel(rows, { algo: 'auto', grid, target: 'churn', positive: 'yes', folds: 3, ...TRAIN_DEFAULTS });
    const selection = model.validation.selection;
    expect(selection?.candidates.map((c) => c.label).slice(0, 2)).toEqual(['logit', 'trees']);
    expect(selection?.chosen).not.toBe('logit');
    expect(model.model.algo === 'gbdt' || (model.model.algo === 'blend' && model.model.logitWeight <= 0.25)).toBe(true);
    expect(loadModelArtifact(JSON.parse(JSON.stringify(model)))).toEqual(model);
    expect(trainChurnModel(rows, { algo: 'auto', grid, target: 'churn', positive: 'yes', folds: 3, ...TRAIN_DEFAULTS })).toEqual(model);
  });

  it('scores a blend as the weighted mean of its two margins, and explains it additively (1e-9)', () => {
    const rows = mixedRows(1200, 9);
    const options = { target: 'churn', positive: 'Yes', idColumn: 'id', folds: 2, ...TRAIN_DEFAULTS } as const;
    const logit = trainChurnModel(rows, { ...options, algo: 'logit' });
    const gbdt = trainChurnModel(rows, { ...options, algo: 'gbdt' });
    if (logit.model.algo !== 'logit' || gbdt.model.algo !== 'gbdt') throw new Error('unexpected families');
    const blend = loadModelArtifact({ ...logit, model: { algo: 'blend', logitWeight: 0.3, logit: logit.model, gbdt: gbdt.model } });
    const features = readFeatureMatrix(toCsvTable(rows), blend.preprocessing, 'reject');
    const compiled = compileChurnModel(blend.model, blend.preprocessing);
    const margins = compiled.margins(features);
    const logitMargins = compileChurnModel(logit.model, logit.preprocessing).margins(features);
    const gbdtMargins = compileChurnModel(gbdt.model, gbdt.preprocessing).margins(features);
    const phi = new Float64Array(features.width);
    let worstMean = 0;
    let worstSum = 0;
    for (let i = 0; i < features.rows; i++) {
      worstMean = Math.max(worstMean, Math.abs((margins[i] as number) - (0.3 * (logitMargins[i] as number) + 0.7 * (gbdtMargins[i] as number))));
      compiled.contributions(features.values, i * features.width, phi);
      worstSum = Math.max(worstSum, Math.abs(compiled.baseValue + phi.reduce((s, v) => s + v, 0) - (margins[i] as number)));
    }
    expect(worstMean).toBeLessThan(1e-9);
    expect(worstSum).toBeLessThan(1e-9);
  });

  it('refuses a blend whose logit does not fit the preprocessing', () => {
    const rows = mixedRows(600, 4);
    const options = { target: 'churn', positive: 'Yes', idColumn: 'id', folds: 2, ...TRAIN_DEFAULTS } as const;
    const logit = trainChurnModel(rows, { ...options, algo: 'logit' });
    const gbdt = trainChurnModel(rows, { ...options, algo: 'gbdt', gbdt: { maxIterations: 20 } });
    if (logit.model.algo !== 'logit' || gbdt.model.algo !== 'gbdt') throw new Error('unexpected families');
    const broken = { ...logit, model: { algo: 'blend', logitWeight: 0.5, logit: { ...logit.model, coefficients: [1] }, gbdt: gbdt.model } };
    expect(() => loadModelArtifact(broken)).toThrow(/model\.logit\.coefficients/);
  });
});
