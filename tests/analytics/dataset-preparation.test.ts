import { describe, expect, it } from 'vitest';
import { toCsvTable } from '../../shared/analytics/dataset/csv-table';
import { DatasetError } from '../../shared/analytics/dataset/dataset-error';
import { readFeatureMatrix } from '../../shared/analytics/dataset/feature-matrix';
import { readLabels } from '../../shared/analytics/dataset/labels';
import { fitPreprocessing } from '../../shared/analytics/dataset/preprocessing';
import { scoreRows } from '../../shared/analytics/score-rows';
import { trainChurnModel } from '../../shared/analytics/train-churn-model';
import { TRAIN_DEFAULTS } from './churn-fixtures';

const header = ['customerID', 'tenure', 'TotalCharges', 'Contract', 'Region', 'Constant', 'Churn'];
/** 100 rows shaped like IBM Telco: TotalCharges is " " for new customers, one cell is garbage. */
function telcoLike(): string[][] {
  const rows = [header];
  for (let i = 0; i < 100; i++) {
    const tenure = i % 40;
    const total = tenure === 0 ? ' ' : i === 57 ? 'n/a' : (tenure * 50.5).toFixed(2);
    const contract = ['Month-to-month', 'One year', 'Two year'][i % 3] as string;
    const region = i === 3 ? 'Atlantis' : (['North', 'South'][i % 2] as string);
    rows.push([
      `ID-${i}`,
      String(tenure),
      total,
      contract,
      i % 10 === 0 ? '' : region,
      'same',
      (contract === 'Month-to-month' ? i % 5 !== 0 : i % 7 === 0) ? 'Yes' : 'No',
    ]);
  }
  return rows;
}
const roles = { target: 'Churn', idColumn: 'customerID', ignoreColumns: [] };

describe('column profiling and preprocessing', () => {
  const table = toCsvTable(telcoLike());
  const { preprocessing, columns } = fitPreprocessing(table, roles, 10);
  it('reads the IBM TotalCharges " " quirk as a numeric column with missing values', () => {
    expect(preprocessing.columns.find((c) => c.name === 'TotalCharges')).toMatchObject({ type: 'numeric', hasMissing: true });
    // 3 rows with tenure 0 are blank; "n/a" is 1 of 97 non-blank cells (< 2 %), so still numeric, missing in training.
    expect(columns.find((c) => c.name === 'TotalCharges')).toMatchObject({ role: 'feature', missing: 4, unparsable: 1 });
  });
  it('drops single-valued columns, keeps id and target out, buckets rare levels as "other"', () => {
    expect(columns.find((c) => c.name === 'Constant')?.role).toBe('dropped_single_value');
    expect(preprocessing.columns.map((c) => c.name)).toEqual(['tenure', 'TotalCharges', 'Contract', 'Region']);
    expect(preprocessing.columns.find((c) => c.name === 'Region')).toEqual({
      name: 'Region',
      type: 'categorical',
      levels: ['South', 'North'],
      hasMissing: true,
    });
  });
  it('encodes blanks as missing and unseen categories as "other"', () => {
    const scoring = toCsvTable([header, ['X', '  ', '12.5', 'Prepaid', 'Mars', 'same', 'No'], ['Y', '3', '', 'One year', '', 'same', 'No']]);
    const { values } = readFeatureMatrix(scoring, preprocessing, 'reject');
    expect(Array.from(values)).toEqual([Number.NaN, 12.5, 3, 2, 3, Number.NaN, 1, Number.NaN]);
  });
  it('rejects garbage in a numeric column at scoring time, naming the row and column', () => {
    const scoring = toCsvTable([header, ['X', '1', '10', 'One year', 'North', 'same', 'No'], ['Y', '2', 'abc', 'One year', 'North', 'same', 'No']]);
    expect(() => readFeatureMatrix(scoring, preprocessing, 'reject')).toThrow(/column "TotalCharges" is numeric but data row 2 has "abc"/);
  });
  it('trains and scores end to end on such data', () => {
    const model = trainChurnModel(telcoLike(), { algo: 'logit', target: 'Churn', positive: 'Yes', idColumn: 'customerID', folds: 2, ...TRAIN_DEFAULTS });
    const scored = scoreRows(model, [
      header,
      ['NEW', '0', ' ', 'Month-to-month', 'Atlantis', 'x', ''],
      ['OLD', '39', '1969.5', 'Two year', 'North', 'same', ''],
    ]);
    expect(scored.map((s) => s.id)).toEqual(['NEW', 'OLD']);
    expect(scored[0]?.probability).toBeGreaterThan(scored[1]?.probability ?? 1);
  });
});

describe('clear dataset errors', () => {
  const rows = telcoLike();
  const problem = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(DatasetError);
      return `${(error as DatasetError).problem}: ${(error as Error).message}`;
    }
    throw new Error('expected a DatasetError');
  };
  it('names what is missing or wrong', () => {
    expect(problem(() => toCsvTable([]))).toMatch(/^empty: /);
    expect(problem(() => toCsvTable([header]))).toMatch(/^empty: .*no data rows/);
    expect(problem(() => toCsvTable([header, ['1', '2']]))).toMatch(/^ragged_row: data row 1 has 2 fields/);
    const table = toCsvTable(rows);
    expect(problem(() => readLabels(table, 'Churned', 'Yes'))).toMatch(/^missing_column: target column "Churned" is not in the data/);
    expect(problem(() => readLabels(table, 'Churn', 'True'))).toMatch(
      /^positive_absent: positive value "True" never occurs in target column "Churn" \(values seen: /,
    );
    expect(problem(() => readLabels(toCsvTable([header, ...rows.slice(1).map((r) => [...r.slice(0, 6), 'Yes'])]), 'Churn', 'Yes'))).toMatch(/^one_class: /);
    expect(problem(() => fitPreprocessing(table, { ...roles, idColumn: 'CustomerId' }, 10))).toMatch(/^missing_column: id column "CustomerId"/);
    expect(problem(() => fitPreprocessing(table, { ...roles, ignoreColumns: ['gender'] }, 10))).toMatch(/^missing_column: ignore column "gender"/);
  });
});
