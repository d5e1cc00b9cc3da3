// Rows of strings as a CSV parser returns them (header first), checked for shape once so the
// rest of the pipeline can index columns by name.
import { DatasetError } from './dataset-error';

export type StringRows = readonly (readonly string[])[];

export interface CsvTable {
  header: readonly string[];
  records: StringRows;
}

export function toCsvTable(rows: StringRows): CsvTable {
  const [rawHeader, ...records] = rows;
  if (!rawHeader || rawHeader.every((name) => name.trim() === '')) throw new DatasetError('empty', 'the data is empty: no header row');
  if (records.length === 0) throw new DatasetError('empty', 'the data has a header but no data rows');
  const header = rawHeader.map((name) => name.trim());
  records.forEach((record, i) => {
    if (record.length !== header.length) {
      throw new DatasetError('ragged_row', `data row ${i + 1} has ${record.length} fields, the header has ${header.length}`, null, i + 1);
    }
  });
  return { header, records };
}

/** The index of a named column; `role` says what it was wanted for ("target", "id", "ignore", "model feature"). */
export function columnIndex(table: Pick<CsvTable, 'header'>, name: string, role: string): number {
  const index = table.header.indexOf(name.trim());
  if (index < 0) {
    const known = table.header.slice(0, 30).join(', ');
    throw new DatasetError('missing_column', `${role} column "${name}" is not in the data (columns: ${known})`, name);
  }
  return index;
}

export const isBlank = (cell: string | undefined) => cell === undefined || cell.trim() === '';

/** The number in a cell, NaN when blank or not a finite number. */
export function parseNumberCell(cell: string | undefined): number {
  if (isBlank(cell)) return Number.NaN;
  const value = Number(cell);
  return Number.isFinite(value) ? value : Number.NaN;
}
