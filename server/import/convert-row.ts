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

function fieldValue(field: MappedField, cellOf: (column: string) => string, parserOf: (column: string) => CellParser): FieldResult {
  const read = (column: string): FieldResult => {
    const cell = cellOf(column).trim();
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
    const parsed = (isMapped ? field.parse : parserOf(column))(mapped);
    return parsed.ok ? parsed : { ok: false, problem: { column, value: cell, reason: `${field.name}: ${parsed.reason}` } };
  };
  if (field.columns.length === 0) return { ok: true, value: field.fallback ?? null };
  if (!field.sum) return read(field.columns[0]!);
  let total = 0;
  for (const column of field.columns) {
    const part = read(column);
    if (!part.ok) return part;
    total += typeof part.value === 'number' ? part.value : 0;
  }
  // Cents: adding binary fractions must not turn 45.07 + 16.78 into 61.849999….
  return { ok: true, value: Math.round(total * 100) / 100 };
}

/**
 * Binds the mapping to the header's column positions, and each field to the parser of each column
 * it reads: the mapping's (its format) unless the file types the column (Parquet numbers and dates).
 */
export function rowConverter(mapping: Mapping, header: readonly string[], typedColumns: ReadonlyMap<string, TypedColumn> = new Map()): RowConverter {
  const position = new Map(header.map((column, i) => [column, i]));
  const parsers = new Map(
    mapping.fields.map((field) => {
      const byColumn = new Map(field.columns.map((column) => {
        const type = typedColumns.get(column);
        return [column, (type === undefined ? null : typedCellParser(field.definition.kind, type)) ?? field.parse] as const;
      }));
      return [field, (column: string) => byColumn.get(column)!] as const;
    }),
  );
  return (cells) => {
    const cellOf = (column: string) => cells[position.get(column)!] ?? '';
    const values: Record<string, FieldValue> = {};
    const problems: RowProblem[] = [];
    if (cells.length !== header.length)
      problems.push({ column: '', value: '', reason: `the row has ${cells.length} cells and the header ${header.length} (a cut or broken line?)` });
    for (const field of mapping.fields) {
      const result = fieldValue(field, cellOf, parsers.get(field)!);
      if (result.ok) values[field.name] = result.value;
      else problems.push(result.problem);
    }
    return problems.length === 0 ? { ok: true, values } : { ok: false, problems };
  };
}
