// Reads the operator's CSV export as it comes: UTF-8 (with or without BOM) or GBK, any of the
// usual delimiters, quoted or not (csv-parse does the CSV). Rows are numbered as a spreadsheet
// shows them: the header is row 1, and blank lines keep their numbers but yield nothing.
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import { ImportInputError } from './import-error';

export type Encoding = 'utf-8' | 'gbk';

export interface TableRow {
  /** Spreadsheet row number: the header is 1, the first data row 2. */
  row: number;
  cells: string[];
  /** The row's text as it stands in the file, for the rejects file. */
  raw: string;
}

export interface TableFile {
  path: string;
  encoding: Encoding;
  delimiter: string;
  header: string[];
  /** Size and modification time when first opened: a second pass refuses a file changed since. */
  fingerprint: string;
}

const SNIFF_BYTES = 64 * 1024;
const DELIMITERS = [',', ';', '\t', '|'] as const;

function sniff(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImportInputError(code === 'ENOENT' ? `data file not found: ${path}` : `cannot read data file ${path} (${code ?? (error as Error).message})`);
  }
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    return buffer.subarray(0, readSync(fd, buffer, 0, SNIFF_BYTES, 0));
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
  if (sample.includes(0)) throw new ImportInputError(`${path} is not a text file (it holds NUL bytes: a spreadsheet, archive or Parquet file?); export it as CSV`);
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

async function* decodedChunks(path: string, encoding: Encoding): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let offset = 0;
  for await (const chunk of createReadStream(path)) {
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

async function* records(file: Pick<TableFile, 'path' | 'encoding' | 'delimiter'>): AsyncGenerator<TableRow> {
  const parser = parse({ bom: true, delimiter: file.delimiter, relax_column_count: true, skip_empty_lines: false, raw: true, info: true });
  // pipeline, not pipe: a decoding error must reach the loop below, not escape as an uncaught error.
  pipeline(Readable.from(decodedChunks(file.path, file.encoding)), parser, () => undefined);
  let row = 0;
  try {
    for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      row += 1;
      if (record.length === 1 && record[0] === '') continue;
      yield { row, cells: record, raw: raw.replace(/\r?\n$/, '') };
    }
  } catch (error) {
    if (error instanceof ImportInputError) throw error;
    throw new ImportInputError(`${file.path} is not a readable CSV file after row ${row}: ${(error as Error).message}`);
  }
}

/** Opens the file: encoding, delimiter and header, without reading the rows. */
export async function openTable(path: string, options: { encoding: 'auto' | Encoding; delimiter: string | undefined }): Promise<TableFile> {
  if (/\.parquet$/i.test(path))
    throw new ImportInputError(`${path}: Parquet files are not supported by this build yet (it needs a Parquet reader); export the table as CSV`);
  const sample = sniff(path);
  if (sample.length === 0) throw new ImportInputError(`${path} is empty`);
  const encoding = options.encoding === 'auto' ? detectEncoding(sample, path) : options.encoding;
  const text = new TextDecoder(encoding).decode(sample).replace(/^\uFEFF/, '');
  const delimiter = options.delimiter ?? detectDelimiter(text.split(/\r?\n/, 1)[0] ?? '');
  const fingerprint = fingerprintOf(path);
  for await (const first of records({ path, encoding, delimiter })) {
    const header = first.cells.map((c) => c.trim());
    const repeated = header.find((c, i) => header.indexOf(c) !== i);
    if (repeated !== undefined) throw new ImportInputError(`${path}: the header names column "${repeated}" twice`);
    return { path, encoding, delimiter, header, fingerprint };
  }
  throw new ImportInputError(`${path} has no header row`);
}

/** The data rows (the header skipped). */
export async function* tableRows(file: TableFile): AsyncGenerator<TableRow> {
  if (fingerprintOf(file.path) !== file.fingerprint) throw new ImportInputError(`${file.path} changed while it was being imported; run the import again`);
  let first = true;
  for await (const record of records(file)) {
    if (first) {
      first = false;
      continue;
    }
    yield record;
  }
}
