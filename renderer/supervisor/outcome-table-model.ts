// The outcome table's model: its columns (sortable), the filters (text, result, KPI drill-down),
// the grouping, and each cell's text. The components only show it.
//
// The view is kept as arrays of the report's own rows, not as react-table row models: those build
// an object with five dictionaries for each of up to 100,000 rows (about 400 bytes a row, twice
// what the row itself takes; bench/renderer-heap.ts), although only the thirty or so rows in view
// are ever drawn. useTable keeps the columns, the headers and the sorting state with its toggles;
// the rows are sorted with react-table's own sort functions, so the order is what it was.
import { useMemo, useState } from 'react';
import {
  createColumnHelper,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  tableFeatures,
  useTable,
  type ReactTable,
  type SortingState,
} from '@tanstack/react-table';
import { OutcomeResult } from '../../shared/contract/outcomes';
import type { OfferNames, OutcomeReportRow } from '../../shared/contract/supervisor-reports';
import { useCodeLabels, type CodeLabels } from '../format/code-labels';
import type { Formatters } from '../format/formatters';
import { GROUP_BY_COLUMNS, isCodedColumn, OUTCOME_COLUMNS, shownCell, type GroupByColumn, type OutcomeColumnId } from './outcome-columns';

const features = tableFeatures({ rowSortingFeature });

export type OutcomeTable = ReactTable<typeof features, OutcomeReportRow>;

const helper = createColumnHelper<typeof features, OutcomeReportRow>();
const NUMERIC: readonly OutcomeColumnId[] = ['expectedValue', 'retainedRevenue'];
/** What the text filter searches: every column but the amounts; coded ones by their words, the time as stored (ISO). */
const SEARCHED_COLUMNS = OUTCOME_COLUMNS.filter((id) => !NUMERIC.includes(id));

export const isNumericColumn = (id: OutcomeColumnId) => NUMERIC.includes(id);

// A first click sorts amounts largest first and words A to Z (react-table's choice from a row's value, made here per column).
const columns = helper.columns(OUTCOME_COLUMNS.map((id) => helper.accessor(id, { id, sortDescFirst: isNumericColumn(id) })));
/** The table builds no rows of its own (see the top of this file). */
const NO_ROWS: OutcomeReportRow[] = [];

/** What a cell shows: codes in words (shared with the exports), dates and amounts formatted. */
export function cellText(row: OutcomeReportRow, id: OutcomeColumnId, labels: CodeLabels, offerNames: OfferNames, f: Formatters): string {
  const value = shownCell(row, id, labels, offerNames);
  if (value === null || value === '') return '—';
  if (id === 'recordedAt') return f.dateTime(String(value));
  if (isNumericColumn(id)) return f.money(Number(value));
  return String(value);
}

/** A KPI's rows, picked by clicking its tile. */
export interface TableDrill {
  label: string;
  matches: (row: OutcomeReportRow) => boolean;
}

/** The filters and grouping the supervisor set above the table. */
export interface OutcomeTableControls {
  text: string;
  setText(text: string): void;
  /** '' for every result. */
  result: OutcomeResult | '';
  setResult(value: string): void;
  /** '' for no grouping. */
  groupBy: GroupByColumn | '';
  setGroupBy(value: string): void;
}

/** The outcomes sharing one value of the column grouped by, in the table's order. */
export interface OutcomeGroup {
  column: GroupByColumn;
  value: OutcomeReportRow[GroupByColumn];
  rows: OutcomeReportRow[];
}

/** What the grid shows: the filtered rows in order, or their groups when grouped. */
export type OutcomeTableView = { grouped: false; rows: readonly OutcomeReportRow[] } | { grouped: true; groups: readonly OutcomeGroup[] };

/**
 * The text filter matches what the cells say (names and words, in the interface language), over
 * the whole row at once: each row's text is put together on the first search and kept, and each
 * code's words are looked up once, so a keystroke over 100,000 rows is a string search per row.
 */
function useShownText(offerNames: OfferNames): (row: OutcomeReportRow) => string {
  const labels = useCodeLabels();
  return useMemo(() => {
    const rowText = new WeakMap<OutcomeReportRow, string>();
    const words = new Map<string, string | number | null>();
    return (row) => {
      let text = rowText.get(row);
      if (text === undefined) {
        text = SEARCHED_COLUMNS.map((id) => {
          if (!isCodedColumn(id)) return row[id] ?? '';
          const key = `${id}\u0000${row.result}\u0000${String(row[id])}`;
          if (!words.has(key)) words.set(key, shownCell(row, id, labels, offerNames));
          return words.get(key) ?? '';
        })
          .join('\u0001')
          .toLowerCase();
        rowText.set(row, text);
      }
      return text;
    };
  }, [labels, offerNames]);
}

/** Rows in the order of `sorting` (react-table's sort functions; ties keep the report's order, newest first). */
export function sortOutcomes(rows: readonly OutcomeReportRow[], sorting: SortingState): readonly OutcomeReportRow[] {
  const keys = sorting.filter((s) => (OUTCOME_COLUMNS as readonly string[]).includes(s.id));
  if (keys.length === 0) return rows;
  const compare = keys.map(({ id, desc }) => {
    const column = id as OutcomeColumnId;
    const sortFn = isNumericColumn(column) ? sortFn_basic : sortFn_alphanumeric;
    const resolve = sortFn.resolveDataValue ?? ((value: unknown) => value);
    const direction = desc ? -1 : 1;
    // The built-in sort functions compare the two values only; the rows they are also handed are not read.
    return (a: OutcomeReportRow, b: OutcomeReportRow) =>
      direction * sortFn.sort(resolve(a[column]), resolve(b[column]), undefined as never, undefined as never, id);
  });
  // Array.prototype.sort is stable: equal rows stay in the report's order.
  return [...rows].sort((a, b) => {
    for (const byColumn of compare) {
      const order = byColumn(a, b);
      if (order !== 0) return order;
    }
    return 0;
  });
}

/** Groups in the order their first row comes in `rows`. */
export function groupOutcomes(rows: readonly OutcomeReportRow[], column: GroupByColumn): OutcomeGroup[] {
  const groups = new Map<OutcomeGroup['value'], OutcomeGroup>();
  for (const row of rows) {
    const value = row[column];
    const group = groups.get(value);
    if (group === undefined) groups.set(value, { column, value, rows: [row] });
    else group.rows.push(row);
  }
  return [...groups.values()];
}

/** The table over the rows of the drill-down (all rows without one), newest first. */
export function useOutcomeTable(rows: OutcomeReportRow[], offerNames: OfferNames, drill: TableDrill | null) {
  const shownText = useShownText(offerNames);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'recordedAt', desc: true }]);
  const [text, setText] = useState('');
  const [result, setResult] = useState<OutcomeResult | ''>('');
  const [groupBy, setGroupBy] = useState<GroupByColumn | ''>('');

  const table: OutcomeTable = useTable({ features, columns, data: NO_ROWS, state: { sorting }, onSortingChange: setSorting });

  const filtered = useMemo(() => {
    const needle = text.toLowerCase();
    return rows.filter(
      (row) => (drill === null || drill.matches(row)) && (result === '' || row.result === result) && (needle === '' || shownText(row).includes(needle)),
    );
  }, [rows, drill, result, text, shownText]);
  const sorted = useMemo(() => sortOutcomes(filtered, sorting), [filtered, sorting]);
  const view = useMemo<OutcomeTableView>(
    () => (groupBy === '' ? { grouped: false, rows: sorted } : { grouped: true, groups: groupOutcomes(sorted, groupBy) }),
    [sorted, groupBy],
  );

  const controls: OutcomeTableControls = {
    text,
    setText,
    result,
    setResult(value) {
      const parsed = OutcomeResult.safeParse(value);
      setResult(parsed.success ? parsed.data : '');
    },
    groupBy,
    setGroupBy(value) {
      setGroupBy(GROUP_BY_COLUMNS.find((c) => c === value) ?? '');
    },
  };
  return { table, controls, filtered: sorted, view };
}
