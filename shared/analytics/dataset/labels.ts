// The 0/1 churn label of every row, from a target column and the value that means "churned".
import { columnIndex, isBlank, type CsvTable } from './csv-table';
import { DatasetError } from './dataset-error';

export function readLabels(table: CsvTable, target: string, positive: string): Uint8Array {
  const column = columnIndex(table, target, 'target');
  const wanted = positive.trim();
  const labels = new Uint8Array(table.records.length);
  const seen = new Set<string>();
  let positives = 0;
  table.records.forEach((record, i) => {
    const cell = record[column];
    if (isBlank(cell)) throw new DatasetError('missing_target', `target column "${target}" is blank in data row ${i + 1}`, target, i + 1);
    const value = (cell as string).trim();
    if (seen.size < 20) seen.add(value);
    if (value === wanted) {
      labels[i] = 1;
      positives++;
    }
  });
  const values = [...seen].slice(0, 8).join(', ');
  if (positives === 0) {
    throw new DatasetError('positive_absent', `positive value "${wanted}" never occurs in target column "${target}" (values seen: ${values})`, target);
  }
  if (positives === labels.length) {
    throw new DatasetError('one_class', `target column "${target}" has only one class ("${wanted}" in every row); a churn model needs both`, target);
  }
  return labels;
}
