// The fitted preprocessing: which columns feed the model, as what type, the levels a
// categorical keeps and the medians that fill blanks. It is stored in the model artefact so
// scoring applies exactly the transforms training saw.
import { z } from 'zod';
import { columnIndex, isBlank, parseNumberCell, type CsvTable } from './csv-table';
import { DatasetError } from './dataset-error';

/** A column is numeric when at least this share of its non-blank cells parse as numbers. */
export const NUMERIC_SHARE = 0.98;
/** Category codes share 8-bit histogram bins with the "other" code and a missing bin. */
export const MAX_LEVELS = 254;

export const NumericColumnSpec = z.object({
  name: z.string().min(1),
  type: z.literal('numeric'),
  /** Fills blanks (and, in training only, the rare unparsable cell). */
  median: z.number(),
  /** Training had blanks, so linear models get a missing indicator. */
  hasMissing: z.boolean(),
});

export const CategoricalColumnSpec = z.object({
  name: z.string().min(1),
  type: z.literal('categorical'),
  /** Levels frequent enough to get their own code, most frequent first; the rest, and unseen ones, are "other". */
  levels: z.array(z.string()).min(1).max(MAX_LEVELS),
  hasMissing: z.boolean(),
});

export const ColumnSpec = z.discriminatedUnion('type', [NumericColumnSpec, CategoricalColumnSpec]);
export type ColumnSpec = z.infer<typeof ColumnSpec>;

export const Preprocessing = z.object({
  minLevelCount: z.number().int().positive(),
  columns: z.array(ColumnSpec).min(1),
});
export type Preprocessing = z.infer<typeof Preprocessing>;

export const ColumnSummary = z.object({
  name: z.string(),
  role: z.enum(['feature', 'target', 'id', 'ignored', 'dropped_single_value', 'dropped_no_frequent_level']),
  type: z.enum(['numeric', 'categorical']).nullable(),
  missing: z.number().int().nonnegative(),
  /** Non-blank cells of a numeric column that were not numbers (treated as missing in training). */
  unparsable: z.number().int().nonnegative(),
});
export type ColumnSummary = z.infer<typeof ColumnSummary>;

export interface ColumnRoles {
  target: string;
  idColumn: string | null;
  ignoreColumns: readonly string[];
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function frequentLevels(counts: Map<string, number>, minLevelCount: number): string[] {
  return [...counts]
    .filter(([, count]) => count >= minLevelCount)
    .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, MAX_LEVELS)
    .map(([level]) => level);
}

interface ProfiledColumn {
  spec: ColumnSpec | null;
  summary: ColumnSummary;
}

function profileColumn(table: CsvTable, column: number, minLevelCount: number): ProfiledColumn {
  const name = table.header[column] as string;
  const counts = new Map<string, number>();
  const numbers: number[] = [];
  let missing = 0;
  for (const record of table.records) {
    const cell = record[column];
    if (isBlank(cell)) {
      missing++;
      continue;
    }
    const value = (cell as string).trim();
    counts.set(value, (counts.get(value) ?? 0) + 1);
    const number = parseNumberCell(value);
    if (!Number.isNaN(number)) numbers.push(number);
  }
  const nonBlank = table.records.length - missing;
  const isNumeric = nonBlank > 0 && numbers.length >= NUMERIC_SHARE * nonBlank;
  const type = isNumeric ? 'numeric' : 'categorical';
  const unparsable = isNumeric ? nonBlank - numbers.length : 0;
  const summary = (role: ColumnSummary['role']): ColumnSummary => ({ name, role, type, missing: missing + unparsable, unparsable });
  const distinct = isNumeric ? new Set(numbers).size : counts.size;
  if (distinct <= 1) return { spec: null, summary: summary('dropped_single_value') };
  const hasMissing = missing + unparsable > 0;
  if (isNumeric) return { spec: { name, type: 'numeric', median: median(numbers), hasMissing }, summary: summary('feature') };
  const levels = frequentLevels(counts, minLevelCount);
  // Without a frequent level every row would be "other" (an identifier, free text): no signal.
  if (levels.length === 0) return { spec: null, summary: summary('dropped_no_frequent_level') };
  return { spec: { name, type: 'categorical', levels, hasMissing }, summary: summary('feature') };
}

export interface FittedPreprocessing {
  preprocessing: Preprocessing;
  columns: ColumnSummary[];
}

export function fitPreprocessing(table: CsvTable, roles: ColumnRoles, minLevelCount: number): FittedPreprocessing {
  const reserved = new Map<number, ColumnSummary['role']>();
  reserved.set(columnIndex(table, roles.target, 'target'), 'target');
  if (roles.idColumn !== null) reserved.set(columnIndex(table, roles.idColumn, 'id'), 'id');
  for (const name of roles.ignoreColumns) reserved.set(columnIndex(table, name, 'ignore'), 'ignored');

  const specs: ColumnSpec[] = [];
  const columns = table.header.map((name, column): ColumnSummary => {
    const role = reserved.get(column);
    if (role !== undefined) return { name, role, type: null, missing: 0, unparsable: 0 };
    const profiled = profileColumn(table, column, minLevelCount);
    if (profiled.spec) specs.push(profiled.spec);
    return profiled.summary;
  });
  if (specs.length === 0)
    throw new DatasetError('no_features', 'no usable feature column left after removing the target, id, ignored and single-valued columns');
  return { preprocessing: { minLevelCount, columns: specs }, columns };
}
