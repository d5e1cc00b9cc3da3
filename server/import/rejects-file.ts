// The rejects file: one line per problem, in source row order, as CSV a spreadsheet opens:
// row (as the spreadsheet numbers it, header = 1; for Parquet the file's first row is 2, as if it
// had a header line), column, value, reason, and the raw row (for Parquet, the row as a CSV line).
import { closeSync, openSync, writeSync } from 'node:fs';
import Papa from 'papaparse';
import type { Rejection } from './entity-importer';
import { ImportInputError } from './import-error';

export interface RejectsSink {
  write(rejections: readonly Rejection[]): void;
  close(): void;
}

const HEADER = ['row', 'column', 'value', 'reason', 'raw'];

export function openRejectsFile(path: string): RejectsSink {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new ImportInputError(`cannot write the rejects file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  // UTF-8 with a BOM so spreadsheet programs read the Chinese text right.
  writeSync(fd, `\uFEFF${Papa.unparse([HEADER])}\r\n`);
  return {
    write(rejections) {
      if (rejections.length === 0) return;
      const rows = rejections.map((r) => [String(r.row), r.problem.column, r.problem.value, r.problem.reason, r.raw]);
      writeSync(fd, `${Papa.unparse(rows, { escapeFormulae: true })}\r\n`);
    },
    close: () => closeSync(fd),
  };
}
