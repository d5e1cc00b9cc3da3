import { describe, expect, it } from 'vitest';
import { Reason } from '../../shared/contract/entities';
import { loadModelArtifact, ModelArtifact, ModelArtifactError } from '../../shared/analytics/model-artifact';
import { FEATURE_CONTRIBUTION, scoreRows } from '../../shared/analytics/score-rows';
import { trainChurnModel } from '../../shared/analytics/train-churn-model';
import { mixedRows, TRAIN_DEFAULTS } from './churn-fixtures';

const rows = mixedRows(1200, 31);
const models = (['gbdt', 'logit'] as const).map((algo) =>
  trainChurnModel(rows, { algo, target: 'churn', positive: 'Yes', idColumn: 'id', folds: 3, ...TRAIN_DEFAULTS }),
);
const newRows = [rows[0] as string[], ['N1', '2', '110.5', 'Month-to-month', ''], ['N2', '70', ' ', 'Two year', ''], ['N3', '12', '55', 'Prepaid', '']];

describe('model artefact', () => {
  it.each(models)('validates, survives a JSON round trip and scores identically ($model.algo)', (model) => {
    expect(ModelArtifact.safeParse(model).success).toBe(true);
    const loaded = loadModelArtifact(JSON.stringify(model));
    expect(loaded).toEqual(model);
    expect(scoreRows(loaded, rows)).toEqual(scoreRows(model, rows));
  });

  it.each(models)('scores new rows with a level and up to three translatable reasons ($model.algo)', (model) => {
    const scored = scoreRows(model, newRows);
    expect(scored.map((s) => s.id)).toEqual(['N1', 'N2', 'N3']);
    for (const row of scored) {
      expect(row.probability).toBeGreaterThan(0);
      expect(row.probability).toBeLessThan(1);
      expect(['red', 'orange', 'yellow', 'none']).toContain(row.warningLevel);
      expect(row.reasons.length).toBeLessThanOrEqual(3);
      for (const reason of row.reasons) {
        expect(Reason.parse(reason)).toEqual(reason);
        expect(reason.code).toBe(FEATURE_CONTRIBUTION);
        expect(reason.params.effect).toBeGreaterThan(0);
      }
    }
    // A short-tenure month-to-month customer is riskier than a long two-year one.
    expect(scored[0]?.probability).toBeGreaterThan(scored[1]?.probability ?? 1);
    expect(scored[0]?.reasons.map((r) => r.params.feature)).toContain('contract');
  });

  it('records the training summary, thresholds and cross-validated metrics', () => {
    const model = models[0] as ModelArtifact;
    expect(model.training).toMatchObject({ rows: 1200, target: 'churn', positiveValue: 'Yes', idColumn: 'id' });
    expect(model.training.columns.map((c) => [c.name, c.role, c.type])).toEqual([
      ['id', 'id', null],
      ['tenure', 'feature', 'numeric'],
      ['charges', 'feature', 'numeric'],
      ['contract', 'feature', 'categorical'],
      ['churn', 'target', null],
    ]);
    expect(model.validation.metrics.auc).toBeGreaterThan(0.7);
    expect(model.thresholds.targets).toEqual({ red: 0.7, orange: 0.5, yellow: 0.3 });
  });

  it('rejects corrupt artefacts with a message that says what is wrong', () => {
    const model = models[0] as ModelArtifact;
    const corrupt = (change: (json: Record<string, any>) => void) => {
      const json = JSON.parse(JSON.stringify(model));
      change(json);
      return () => loadModelArtifact(json);
    };
    expect(() => loadModelArtifact('{"kind": ')).toThrow(ModelArtifactError);
    expect(() => loadModelArtifact('{"kind": ')).toThrow(/not valid JSON/);
    expect(() => loadModelArtifact({ hello: 1 })).toThrow(/not a churn model artefact/);
    expect(corrupt((j) => (j.schemaVersion = 99))).toThrow(/unsupported model artefact schema version 99/);
    expect(corrupt((j) => delete j.calibration)).toThrow(/calibration/);
    expect(corrupt((j) => (j.model.trees[0].left[0] = 0))).toThrow(/tree node 0 has invalid children/);
    expect(corrupt((j) => (j.model.trees[0].value = []))).toThrow(/equal length/);
    const logit = JSON.parse(JSON.stringify(models[1]));
    logit.model.coefficients.pop();
    expect(() => loadModelArtifact(logit)).toThrow(/model\.coefficients: has \d+ entries, the preprocessing needs \d+/);
  });
});
