// Reads the operator's export as it comes. CSV: UTF-8 (with or without BOM) or GBK, any of the
// usual delimiters, quoted or not (Papa Parse does the CSV). Rows are numbered as a spreadsheet
// shows them: the header is row 1, and blank lines keep their numbers but yield nothing.
// Parquet (known by its PAR1 magic bytes, whatever the file is called) is read by read-parquet.ts
// into the same rows, numbered as if it had a header line.
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import Papa from 'papaparse';
import { ImportInputError } from './import-error';
import { openParquet, parquetRows, type ParquetLayout } from './read-parquet';

export type Encoding = 'utf-8' | 'gbk';

export interface TableRow {
  /** Spreadsheet row number: the header is 1, the first data row 2 (Parquet: the file's first row is 2). */
  row: number;
  /** Each cell as text (a Parquet value written as a CSV export would write it). */
  cells: string[];
  /** The row's text as it stands in the file (Parquet: the row as a CSV line), for the rejects file. */
  raw: string;
}

/** How a typed file (Parquet) types a column: its cells are in our form, not in the mapping's format. */
export type TypedColumn = 'number' | 'date';

interface CsvLayout {
  format: 'csv';
  encoding: Encoding;
  delimiter: string;
}

export type TableFile = {
  path: string;
  header: string[];
  /** Columns the file itself types as numbers or dates (Parquet); none for CSV. */
  typedColumns: ReadonlyMap<string, TypedColumn>;
  /** Size and modification time when first opened: a second pass refuses a file changed since. */
  fingerprint: string;
} & (CsvLayout | { format: 'parquet'; parquet: ParquetLayout });

const SNIFF_BYTES = 64 * 1024;
const DELIMITERS = [',', ';', '\t', '|'] as const;

const PARQUET_MAGIC = Buffer.from('PAR1');

/** The first bytes of the file and its last four. */
function sniff(path: string): { head: Buffer; tail: Buffer } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImportInputError(code === 'ENOENT' ? `data file not found: ${path}` : `cannot read data file ${path} (${code ?? (error as Error).message})`);
  }
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const size = statSync(path).size;
    const tail = Buffer.alloc(Math.min(PARQUET_MAGIC.length, size));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    return { head: head.subarray(0, readSync(fd, head, 0, SNIFF_BYTES, 0)), tail };
  } finally {
    closeSync(fd);
  }
}

function decodes(sample: Buffer, encoding: Encoding): boolean {
  try {
    // stream: true lets a character cut at the end of the sample pass.
    new TextDecoder(encoding, { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function detectEncoding(sample: Buffer, path: string): Encoding {
  if (sample.includes(0))
    throw new ImportInputError(`${path} is not a text file (it holds NUL bytes: a spreadsheet or an archive?); export it as CSV or Parquet`);
  if (decodes(sample, 'utf-8')) return 'utf-8';
  if (decodes(sample, 'gbk')) return 'gbk';
  throw new ImportInputError(`${path} is neither UTF-8 nor GBK text`);
}

/** The delimiter that splits the header line into the most cells. */
function detectDelimiter(firstLine: string): string {
  const counts = DELIMITERS.map((d) => [d, firstLine.split(d).length - 1] as const);
  const best = counts.sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ',';
}

async function* decodedChunks(path: string, encoding: Encoding, chunkBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let offset = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes })) {
    const bytes = chunk as Buffer;
    try {
      yield decoder.decode(bytes, { stream: true });
    } catch {
      throw new ImportInputError(`${path}: bytes near offset ${offset} are not valid ${encoding} (set "encoding" in the mapping)`);
    }
    offset += bytes.length;
  }
  try {
    yield decoder.decode();
  } catch {
    throw new ImportInputError(`${path}: the file ends inside a ${encoding} character (cut short?)`);
  }
}

function fingerprintOf(path: string): string {
  const stat = statSync(path);
  return `${stat.size}:${stat.mtimeMs}`;
}

/** A record longer than this is refused: an unclosed quote would otherwise swallow the rest of the file. */
const MAX_RECORD_CHARS = 8 * 1024 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;

interface ParsedRecord {
  cells: string[];
  raw: string;
  error: string | undefined;
}

/** The line ending of the file, from its first line: Papa Parse would otherwise guess it per chunk. */
function lineEnding(text: string): '\r\n' | '\n' | '\r' {
  const lf = text.indexOf('\n');
  if (lf > 0 && text[lf - 1] === '\r') return '\r\n';
  return lf === -1 && text.includes('\r') ? '\r' : '\n';
}

/** Every record of `text` (which starts at a record boundary), each with its own text. */
function parseRecords(text: string, delimiter: string, newline: string): ParsedRecord[] {
  const parsed: ParsedRecord[] = [];
  let start = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    newline: newline as '\n',
    quoteChar: '"',
    step: ({ data, errors, meta }) => {
      parsed.push({ cells: data, raw: text.slice(start, meta.cursor), error: errors[0]?.message });
      start = meta.cursor;
    },
  });
  return parsed;
}

/**
 * The file's records in order. Papa Parse reads each decoded chunk; the chunk's last record may
 * continue in the next one (a line, or a quoted cell with line breaks, cut by the chunk), so it is
 * carried over and parsed again with the next chunk.
 */
async function* csvRecords(file: { path: string } & CsvLayout): AsyncGenerator<ParsedRecord[]> {
  let pending = '';
  let newline: string | null = null;
  for await (const text of decodedChunks(file.path, file.encoding, READ_CHUNK_BYTES)) {
    pending = newline === null ? (pending + text).replace(/^\uFEFF/, '') : pending + text;
    if (newline === null) {
      if (!/[\r\n]/.test(pending) && pending.length < MAX_RECORD_CHARS) continue;
      newline = lineEnding(pending);
    }
    const parsed = parseRecords(pending, file.delimiter, newline);
    const carried = parsed.pop();
    if (carried === undefined) continue;
    if (carried.raw.length > MAX_RECORD_CHARS)
      throw new ImportInputError(`${file.path} has a record longer than ${MAX_RECORD_CHARS} characters (an unclosed quote?)`);
    pending = carried.raw;
    yield parsed;
  }
  const last = parseRecords(pending, file.delimiter, newline ?? lineEnding(pending));
  // After a final line break Papa Parse reports one more, empty record: the file has no such line.
  if (last.length > 0 && last.at(-1)!.raw === '') last.pop();
  yield last;
}

/** The rows a chunk at a time: a row at a time through async generators costs more than parsing it. */
async function* records(file: { path: string } & CsvLayout): AsyncGenerator<TableRow[]> {
  let row = 0;
  for await (const chunk of csvRecords(file)) {
    const rows: TableRow[] = [];
    for (const { cells, raw, error } of chunk) {
      row += 1;
      if (error !== undefined) throw new ImportInputError(`${file.path} is not a readable CSV file at row ${row}: ${error}`);
      if (cells.length === 1 && cells[0] === '') continue;
      rows.push({ row, cells, raw: raw.replace(/\r?\n$|\r$/, '') });
    }
    yield rows;
  }
}

/** Parquet when the file starts with PAR1; one that does not also end with it was cut short. */
function isParquet(path: string, head: Buffer, tail: Buffer): boolean {
  const starts = head.subarray(0, PARQUET_MAGIC.length).equals(PARQUET_MAGIC);
  if (starts && !tail.equals(PARQUET_MAGIC))
    throw new ImportInputError(`${path} is a Parquet file that does not end with its footer (cut short?); nothing imported`);
  if (!starts && /\.parquet$/i.test(path)) throw new ImportInputError(`${path} is named .parquet but is not a Parquet file (it does not start with PAR1)`);
  return starts;
}

/** Opens the file: its format, encoding, delimiter and header, without reading the rows. */
export async function openTable(path: string, options: { encoding: 'auto' | Encoding; delimiter: string | undefined }): Promise<TableFile> {
  const { head: sample, tail } = sniff(path);
  if (sample.length === 0) throw new ImportInputError(`${path} is empty`);
  const fingerprint = fingerprintOf(path);
  if (isParquet(path, sample, tail)) {
    const parquet = await openParquet(path);
    assertDistinct(path, parquet.header);
    return { path, format: 'parquet', parquet, header: parquet.header, typedColumns: parquet.typedColumns, fingerprint };
  }
  const encoding = options.encoding === 'auto' ? detectEncoding(sample, path) : options.encoding;
  const text = new TextDecoder(encoding).decode(sample).replace(/^\uFEFF/, '');
  const delimiter = options.delimiter ?? detectDelimiter(text.split(/\r?\n/, 1)[0] ?? '');
  const layout: CsvLayout = { format: 'csv', encoding, delimiter };
  for await (const [first] of records({ path, ...layout })) {
    if (first === undefined) continue;
    const header = first.cells.map((c) => c.trim());
    assertDistinct(path, header);
    return { path, ...layout, header, typedColumns: new Map(), fingerprint };
  }
  throw new ImportInputError(`${path} has no header row`);
}

function assertDistinct(path: string, header: readonly string[]): void {
  const repeated = header.find((c, i) => header.indexOf(c) !== i);
  if (repeated !== undefined) throw new ImportInputError(`${path}: the header names column "${repeated}" twice`);
}

/** The data rows (the header skipped), a chunk of the file at a time. */
export async function* tableRowBatches(file: TableFile): AsyncGenerator<TableRow[]> {
  if (fingerprintOf(file.path) !== file.fingerprint) throw new ImportInputError(`${file.path} changed while it was being imported; run the import again`);
  if (file.format === 'parquet') {
    yield* parquetRows(file.path, file.parquet);
    return;
  }
  let first = true;
  for await (const rows of records(file)) {
    if (first && rows.length > 0) {
      first = false;
      yield rows.slice(1);
    } else yield rows;
  }
}
