// The outcome table's model: its columns (sortable, filterable, groupable), the text filter that
// matches what the cells say, a KPI drill-down, and each cell's text. The components only show it.
import { useMemo, useState } from 'react';
import {
  columnFilteringFeature,
  columnGroupingFeature,
  constructFilterFn,
  createColumnHelper,
  createFilteredRowModel,
  createGroupedRowModel,
  createSortedRowModel,
  filterFn_equals,
  filterFn_includesString,
  globalFilteringFeature,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  tableFeatures,
  useTable,
  type ColumnFiltersState,
  type GroupingState,
  type ReactTable,
  type SortingState,
} from '@tanstack/react-table';
import { OutcomeResult } from '../../shared/contract/outcomes';
import type { OfferNames, OutcomeReportRow } from '../../shared/contract/supervisor-reports';
import { useCodeLabels, type CodeLabels } from '../format/code-labels';
import type { Formatters } from '../format/formatters';
import { GROUP_BY_COLUMNS, isCodedColumn, OUTCOME_COLUMNS, shownCell, type GroupByColumn, type OutcomeColumnId } from './outcome-columns';

const features = tableFeatures({
  columnFilteringFeature,
  globalFilteringFeature,
  columnGroupingFeature,
  rowSortingFeature,
  filteredRowModel: createFilteredRowModel(),
  groupedRowModel: createGroupedRowModel(),
  sortedRowModel: createSortedRowModel(),
  filterFns: { includesString: filterFn_includesString, equals: filterFn_equals },
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic },
});

export type OutcomeTable = ReactTable<typeof features, OutcomeReportRow>;
export type OutcomeTableRow = ReturnType<OutcomeTable['getRowModel']>['rows'][number];

const helper = createColumnHelper<typeof features, OutcomeReportRow>();
const NUMERIC: readonly OutcomeColumnId[] = ['expectedValue', 'retainedRevenue'];
/** What the text filter searches: every column but the amounts; coded ones by their words, the time as stored (ISO). */
const SEARCHED_COLUMNS = OUTCOME_COLUMNS.filter((id) => !NUMERIC.includes(id));

export const isNumericColumn = (id: OutcomeColumnId) => NUMERIC.includes(id);

const columns = helper.columns(
  OUTCOME_COLUMNS.map((id) =>
    helper.accessor(id, {
      id,
      sortFn: isNumericColumn(id) ? 'basic' : 'alphanumeric',
      sortUndefined: 'last',
      filterFn: id === 'result' ? 'equals' : 'includesString',
    }),
  ),
);

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

/**
 * The text filter matches what the cells say (names and words, in the interface language), over
 * the whole row at once: each row's text is put together on the first search and kept, and each
 * code's words are looked up once, so a keystroke over 100,000 rows is a string search per row.
 */
function useShownTextFilter(offerNames: OfferNames) {
  const labels = useCodeLabels();
  return useMemo(() => {
    const rowText = new WeakMap<OutcomeReportRow, string>();
    const words = new Map<string, string | number | null>();
    const textOf = (row: OutcomeReportRow) => {
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
    return constructFilterFn<typeof features, OutcomeReportRow>({
      filter: (_value, text: string, row) => textOf(row.original).includes(text),
      resolveFilterValue: (text) => String(text).toLowerCase(),
      autoRemove: (text) => text === undefined || text === null || text === '',
    });
  }, [labels, offerNames]);
}

/** The table over the rows of the drill-down (all rows without one), newest first. */
export function useOutcomeTable(rows: OutcomeReportRow[], offerNames: OfferNames, drill: TableDrill | null) {
  const matchesShownText = useShownTextFilter(offerNames);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'recordedAt', desc: true }]);
  const [globalFilter, setGlobalFilter] = useState('');
  const [columnFilters, setColumnFilters] = useState<ColumnFiltersState>([]);
  const [grouping, setGrouping] = useState<GroupingState>([]);

  const drilled = useMemo(() => (drill === null ? rows : rows.filter(drill.matches)), [rows, drill]);
  const table: OutcomeTable = useTable({
    features,
    columns,
    data: drilled,
    state: { sorting, globalFilter, columnFilters, grouping },
    onSortingChange: setSorting,
    onGlobalFilterChange: setGlobalFilter,
    onColumnFiltersChange: setColumnFilters,
    onGroupingChange: setGrouping,
    globalFilterFn: matchesShownText,
    // The filter reads the whole row (see useShownTextFilter): asking it once per row is enough.
    getColumnCanGlobalFilter: (column) => column.id === OUTCOME_COLUMNS[0],
    groupedColumnMode: false,
  });

  const filteredLeaves = table.getFilteredRowModel().rows;
  const filtered = useMemo(() => filteredLeaves.map((r) => r.original), [filteredLeaves]);
  const controls: OutcomeTableControls = {
    text: globalFilter,
    setText: setGlobalFilter,
    result: (columnFilters.find((c) => c.id === 'result')?.value as OutcomeResult | undefined) ?? '',
    setResult(value) {
      const parsed = OutcomeResult.safeParse(value);
      setColumnFilters(parsed.success ? [{ id: 'result', value: parsed.data }] : []);
    },
    groupBy: (grouping[0] as GroupByColumn | undefined) ?? '',
    setGroupBy(value) {
      const id = GROUP_BY_COLUMNS.find((c) => c === value);
      setGrouping(id === undefined ? [] : [id]);
    },
  };
  return { table, controls, filtered };
}
