// Reads the operator's Parquet export (hyparquet) into the same rows as a CSV file: each cell as
// text, so one validation path serves both. Row numbers continue the CSV convention as if the
// file had a header line: the file's first row is row 2. Rows are read one row group at a time,
// so a large file is never held in memory whole.
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, toJson, type FileMetaData, type SchemaElement } from 'hyparquet';
import Papa from 'papaparse';
import { ImportInputError } from './import-error';
import type { TableRow, TypedColumn } from './read-table';

export interface ParquetLayout {
  header: string[];
  /** Columns the file types as numbers or dates: the mapping's format does not describe their cells. */
  typedColumns: ReadonlyMap<string, TypedColumn>;
  metadata: FileMetaData;
}

/** hyparquet reads these codecs without extra packages. */
const READABLE_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY']);

const isoDay = (millis: number) => {
  const date = new Date(millis);
  return Number.isFinite(date.getTime()) ? date.toISOString() : `${millis} ms (out of range)`;
};

/** Dates as ISO text: a DATE is its calendar day; a timestamp its UTC instant (a local timestamp keeps its wall clock). */
const PARSERS = {
  dateFromDays: (days: number) => isoDay(days * 86_400_000).slice(0, 10),
  timestampFromMilliseconds: (millis: bigint) => isoDay(Number(millis)),
  timestampFromMicroseconds: (micros: bigint) => isoDay(Number(micros / 1000n)),
  timestampFromNanoseconds: (nanos: bigint) => isoDay(Number(nanos / 1_000_000n)),
};

function typeOf(element: SchemaElement): TypedColumn | null {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  if (logical === 'DATE' || logical === 'TIMESTAMP' || converted === 'DATE' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS')
    return 'date';
  if (element.type === 'INT96' && converted === undefined) return 'date';
  if (logical === 'TIME' || converted === 'TIME_MILLIS' || converted === 'TIME_MICROS' || logical === 'FLOAT16') return null;
  if (logical === 'DECIMAL' || converted === 'DECIMAL') return 'number';
  return element.type === 'INT32' || element.type === 'INT64' || element.type === 'FLOAT' || element.type === 'DOUBLE' ? 'number' : null;
}

/** One value as the text a CSV cell would hold. */
function cellText(value: unknown, single: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  // A FLOAT holds 45.07 as 45.06999969…: its 7 significant digits are what was written.
  if (typeof value === 'number') return String(single ? Number(value.toPrecision(7)) : value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  // A list (of phone numbers, say) becomes one cell as a CSV export would write it.
  if (Array.isArray(value)) return value.map((v) => cellText(v, single)).join(';');
  return JSON.stringify(toJson(value));
}

/** Reads the footer: the columns and their types. A cut or broken file stops here. */
export async function openParquet(path: string): Promise<ParquetLayout> {
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(await asyncBufferFromFile(path));
  } catch (error) {
    throw new ImportInputError(`${path} is not a readable Parquet file: ${(error as Error).message}`);
  }
  const codec = metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec)).find((c) => c !== undefined && !READABLE_CODECS.has(c));
  if (codec !== undefined)
    throw new ImportInputError(`${path} is compressed with ${codec}, which this build cannot read; write it with SNAPPY or uncompressed (or export CSV)`);
  const columns = parquetSchema(metadata).children.map((child) => child.element);
  const header = columns.map((element) => element.name);
  const typedColumns = new Map<string, TypedColumn>();
  for (const element of columns) {
    const type = typeOf(element);
    if (type !== null) typedColumns.set(element.name, type);
  }
  return { header, typedColumns, metadata };
}

/** The rows, row group by row group, numbered from 2 (row 1 is the notional header). */
/** The rows, one row group at a time. */
export async function* parquetRows(path: string, layout: ParquetLayout): AsyncGenerator<TableRow[]> {
  const file = await asyncBufferFromFile(path);
  const singles = new Set(
    parquetSchema(layout.metadata)
      .children.filter((c) => c.element.type === 'FLOAT')
      .map((c) => c.element.name),
  );
  let groupStart = 0;
  for (const group of layout.metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    let objects: Record<string, unknown>[];
    try {
      objects = await parquetReadObjects({ file, metadata: layout.metadata, rowStart: groupStart, rowEnd: groupEnd, parsers: PARSERS });
    } catch (error) {
      throw new ImportInputError(`${path}: rows ${groupStart + 2}–${groupEnd + 1} cannot be read (a broken Parquet file?): ${(error as Error).message}`);
    }
    yield objects.map((object, i) => {
      const cells = layout.header.map((column) => cellText(object[column], singles.has(column)));
      return { row: groupStart + i + 2, cells, raw: Papa.unparse([cells]) };
    });
    groupStart = groupEnd;
  }
}
