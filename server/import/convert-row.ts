// One source row → our field values, or every problem found in it (column, value, reason).
import type { FieldValue } from './entity-fields';
import { typedCellParser, type CellParser } from './field-parsers';
import type { MappedField, Mapping } from './mapping';
import type { TypedColumn } from './read-table';

export interface RowProblem {
  column: string;
  value: string;
  reason: string;
}

export type ConvertedRow = { ok: true; values: Record<string, FieldValue> } | { ok: false; problems: RowProblem[] };

export type RowConverter = (cells: readonly string[]) => ConvertedRow;

type FieldResult = { ok: true; value: FieldValue } | { ok: false; problem: RowProblem };

/** A column a field reads: where it stands in the row, and the parser of its cells. */
interface BoundColumn {
  column: string;
  position: number;
  parse: CellParser;
}

interface BoundField {
  field: MappedField;
  columns: readonly BoundColumn[];
}

function readCell(field: MappedField, { column, position, parse }: BoundColumn, cells: readonly string[]): FieldResult {
  const cell = (cells[position] ?? '').trim();
  const isMapped = field.map !== undefined && Object.hasOwn(field.map, cell);
  const mapped = isMapped ? field.map![cell]! : cell;
  if (mapped === '' || mapped === null) {
    if (field.fallback !== undefined) return { ok: true, value: field.fallback };
    return { ok: false, problem: { column, value: cell, reason: `${field.name} is required and the cell is empty` } };
  }
  if (typeof mapped !== 'string') {
    const check = field.parse(String(mapped));
    return check.ok ? check : { ok: false, problem: { column, value: cell, reason: `${field.name}: mapped value ${JSON.stringify(mapped)}: ${check.reason}` } };
  }
  // A value the mapping gives is in our form; a cell the file typed is parsed by its type.
  const parsed = (isMapped ? field.parse : parse)(mapped);
  return parsed.ok ? parsed : { ok: false, problem: { column, value: cell, reason: `${field.name}: ${parsed.reason}` } };
}

function fieldValue({ field, columns }: BoundField, cells: readonly string[]): FieldResult {
  if (columns.length === 0) return { ok: true, value: field.fallback ?? null };
  if (!field.sum) return readCell(field, columns[0]!, cells);
  let total = 0;
  for (const column of columns) {
    const part = readCell(field, column, cells);
    if (!part.ok) return part;
    total += typeof part.value === 'number' ? part.value : 0;
  }
  // Cents: adding binary fractions must not turn 45.07 + 16.78 into 61.849999….
  return { ok: true, value: Math.round(total * 100) / 100 };
}

/**
 * Binds the mapping to the header's column positions, and each field to the parser of each column
 * it reads: the mapping's (its format) unless the file types the column (Parquet numbers and dates).
 * Bound once per file, so converting a row allocates nothing but its values.
 */
export function rowConverter(mapping: Mapping, header: readonly string[], typedColumns: ReadonlyMap<string, TypedColumn> = new Map()): RowConverter {
  const position = new Map(header.map((column, i) => [column, i]));
  const fields: BoundField[] = mapping.fields.map((field) => ({
    field,
    columns: field.columns.map((column) => {
      const type = typedColumns.get(column);
      return { column, position: position.get(column)!, parse: (type === undefined ? null : typedCellParser(field.definition.kind, type)) ?? field.parse };
    }),
  }));
  return (cells) => {
    const values: Record<string, FieldValue> = {};
    const problems: RowProblem[] = [];
    if (cells.length !== header.length)
      problems.push({ column: '', value: '', reason: `the row has ${cells.length} cells and the header ${header.length} (a cut or broken line?)` });
    for (const bound of fields) {
      const result = fieldValue(bound, cells);
      if (result.ok) values[bound.field.name] = result.value;
      else problems.push(result.problem);
    }
    return problems.length === 0 ? { ok: true, values } : { ok: false, problems };
  };
}
