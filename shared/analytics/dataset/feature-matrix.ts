// Rows of strings → one number per model column, row-major: numeric columns keep their value,
// categoricals become level codes (levels.length = "other"); NaN marks a missing cell. Both
// model families read this matrix, so it is also the "pre-encoded" input of batch scoring.
import { columnIndex, isBlank, parseNumberCell, type CsvTable } from './csv-table';
import { DatasetError } from './dataset-error';
import type { ColumnSpec, Preprocessing } from './preprocessing';

export interface FeatureMatrix {
  rows: number;
  width: number;
  values: Float64Array;
}

/** Training tolerates the few unparsable cells of a numeric column as missing; scoring rejects them. */
export type UnparsableCells = 'treat_as_missing' | 'reject';

type CellReader = (cell: string | undefined, row: number) => number;

function cellReader(spec: ColumnSpec, unparsable: UnparsableCells): CellReader {
  if (spec.type === 'categorical') {
    const codes = new Map(spec.levels.map((level, code) => [level, code]));
    const other = spec.levels.length;
    return (cell) => (isBlank(cell) ? Number.NaN : (codes.get((cell as string).trim()) ?? other));
  }
  return (cell, row) => {
    const value = parseNumberCell(cell);
    if (Number.isNaN(value) && !isBlank(cell) && unparsable === 'reject') {
      throw new DatasetError(
        'not_a_number',
        `column "${spec.name}" is numeric but data row ${row + 1} has "${(cell as string).trim().slice(0, 40)}"`,
        spec.name,
        row + 1,
      );
    }
    return value;
  };
}

export function readFeatureMatrix(table: CsvTable, preprocessing: Preprocessing, unparsable: UnparsableCells): FeatureMatrix {
  const specs = preprocessing.columns;
  const sources = specs.map((spec) => columnIndex(table, spec.name, 'model feature'));
  const readers = specs.map((spec) => cellReader(spec, unparsable));
  const width = specs.length;
  const values = new Float64Array(table.records.length * width);
  table.records.forEach((record, row) => {
    for (let j = 0; j < width; j++) values[row * width + j] = (readers[j] as CellReader)(record[sources[j] as number], row);
  });
  return { rows: table.records.length, width, values };
}

export function selectRows(matrix: FeatureMatrix, rows: Uint32Array): FeatureMatrix {
  const { width } = matrix;
  const values = new Float64Array(rows.length * width);
  rows.forEach((row, k) => values.set(matrix.values.subarray(row * width, row * width + width), k * width));
  return { rows: rows.length, width, values };
}

export function selectLabels(labels: Uint8Array, rows: Uint32Array): Uint8Array {
  return Uint8Array.from(rows, (row) => labels[row] as number);
}
