// CSV (papaparse) and XLSX (write-excel-file) of the rows the supervisor filtered: the same
// header and cells in both, in the supervisor's language (codes in words, times on the operator's
// clock); amounts stay numbers so spreadsheets can compute with them.
import Papa from 'papaparse';
import writeXlsxFile from 'write-excel-file/browser';
import type { TFunction } from 'i18next';
import type { OutcomeReportRow } from '../../shared/contract/supervisor-reports';
import type { CodeLabels, OfferNameLookup } from '../format/code-labels';
import { operatorDateTime } from '../format/operator-time';
import { columnLabel, OUTCOME_COLUMNS, shownCell } from './outcome-columns';

type ExportCell = string | number | null;

/** What an export needs to put the rows in words. */
export interface ExportLanguage {
  t: TFunction;
  labels: CodeLabels;
  offerNames: OfferNameLookup;
}

/** Excel reads a CSV as the machine's ANSI code page unless the file starts with a UTF-8 byte-order mark. */
const UTF8_BOM = '\uFEFF';

function exportTable(rows: readonly OutcomeReportRow[], { t, labels, offerNames }: ExportLanguage): { header: string[]; body: ExportCell[][] } {
  return {
    header: OUTCOME_COLUMNS.map((id) => columnLabel(t, id)),
    body: rows.map((row) => OUTCOME_COLUMNS.map((id) => (id === 'recordedAt' ? operatorDateTime(row.recordedAt) : shownCell(row, id, labels, offerNames)))),
  };
}

export function outcomesCsv(rows: readonly OutcomeReportRow[], language: ExportLanguage): string {
  const { header, body } = exportTable(rows, language);
  // A leading = + - @ would make a spreadsheet run the cell as a formula.
  return UTF8_BOM + Papa.unparse({ fields: header, data: body }, { escapeFormulae: true, newline: '\r\n' });
}

export function outcomesXlsx(rows: readonly OutcomeReportRow[], language: ExportLanguage): Promise<Blob> {
  const { header, body } = exportTable(rows, language);
  const data = [header.map((value) => ({ value, fontWeight: 'bold' as const })), ...body.map((cells) => cells.map((value) => value ?? null))];
  return writeXlsxFile(data, { sheet: language.t('report.exportSheet'), stickyRowsCount: 1 }).toBlob();
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
