// CSV (papaparse) and XLSX (write-excel-file) of the rows the supervisor filtered: the same
// header and cells in both, raw codes and numbers so spreadsheets can compute with them.
import Papa from 'papaparse';
import writeXlsxFile from 'write-excel-file/browser';
import type { TFunction } from 'i18next';
import type { OutcomeReportRow } from '../../shared/contract/reports';
import { columnLabel, OUTCOME_COLUMNS } from './outcome-columns';

type ExportCell = string | number | null;

function exportTable(rows: readonly OutcomeReportRow[], t: TFunction): { header: string[]; body: ExportCell[][] } {
  return {
    header: OUTCOME_COLUMNS.map((id) => columnLabel(t, id)),
    body: rows.map((row) => OUTCOME_COLUMNS.map((id) => row[id])),
  };
}

export function outcomesCsv(rows: readonly OutcomeReportRow[], t: TFunction): string {
  const { header, body } = exportTable(rows, t);
  // A leading = + - @ would make a spreadsheet run the cell as a formula.
  return Papa.unparse({ fields: header, data: body }, { escapeFormulae: true, newline: '\r\n' });
}

export function outcomesXlsx(rows: readonly OutcomeReportRow[], t: TFunction): Promise<Blob> {
  const { header, body } = exportTable(rows, t);
  const data = [header.map((value) => ({ value, fontWeight: 'bold' as const })), ...body.map((cells) => cells.map((value) => value ?? null))];
  return writeXlsxFile(data, { sheet: 'outcomes', stickyRowsCount: 1 }).toBlob();
}

/** Saves a blob under a file name through the browser's download (Electron shows its save dialog). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // Revoke after the click has been handled, not before.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
