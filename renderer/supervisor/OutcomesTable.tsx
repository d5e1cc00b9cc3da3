// Every outcome of the period: sort (click a header), filter (text + result), group by offer /
// segment / agent / stage (a row per group with its count and acceptance rate), export what is
// filtered. Virtualized: only the rows in view are in the DOM, so 100,000 rows scroll smoothly.
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
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
  type SortingState,
} from '@tanstack/react-table';
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import { OUTCOME_RESULTS, OutcomeResult } from '../../shared/contract/outcomes';
import type { OfferNames, OutcomeReportRow } from '../../shared/contract/reports';
import { useCodeLabels, type CodeLabels } from '../format/code-labels';
import type { Formatters } from '../format/formatters';
import { operatorDateTime } from '../format/operator-time';
import { useFormatters } from '../format/use-formatters';
import { downloadBlob, outcomesCsv, outcomesXlsx, type ExportLanguage } from './export-outcomes';
import {
  acceptanceOf,
  columnLabel,
  GROUP_BY_COLUMNS,
  isCodedColumn,
  OUTCOME_COLUMNS,
  shownCell,
  type GroupByColumn,
  type OutcomeColumnId,
} from './outcome-columns';

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

const helper = createColumnHelper<typeof features, OutcomeReportRow>();
const NUMERIC: readonly OutcomeColumnId[] = ['expectedValue', 'retainedRevenue'];
/** What the text filter searches: every column but the amounts; coded ones by their words, the time as stored (ISO). */
const SEARCHED_COLUMNS = OUTCOME_COLUMNS.filter((id) => !NUMERIC.includes(id));

const columns = helper.columns(
  OUTCOME_COLUMNS.map((id) =>
    helper.accessor(id, {
      id,
      sortFn: NUMERIC.includes(id) ? 'basic' : 'alphanumeric',
      sortUndefined: 'last',
      filterFn: id === 'result' ? 'equals' : 'includesString',
    }),
  ),
);

const ROW_HEIGHT = 30;
const TABLE_VIEWPORT_HEIGHT = 360;

/** What a cell shows: codes in words (shared with the exports), dates and amounts formatted. */
function cellText(row: OutcomeReportRow, id: OutcomeColumnId, labels: CodeLabels, offerNames: OfferNames, f: Formatters): string {
  const value = shownCell(row, id, labels, offerNames);
  if (value === null || value === '') return '—';
  if (id === 'recordedAt') return f.dateTime(String(value));
  if (NUMERIC.includes(id)) return f.money(Number(value));
  return String(value);
}

/** A KPI's rows, picked by clicking its tile. */
export interface TableDrill {
  label: string;
  matches: (row: OutcomeReportRow) => boolean;
}

export function OutcomesTable({
  rows,
  offerNames,
  drill,
  onClearDrill,
}: {
  rows: OutcomeReportRow[];
  offerNames: OfferNames;
  drill: TableDrill | null;
  onClearDrill: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormatters();
  const labels = useCodeLabels();
  // The text filter matches what the cells say (names and words, in the interface language), over
  // the whole row at once: each row's text is put together on the first search and kept, and each
  // code's words are looked up once, so a keystroke over 100,000 rows is a string search per row.
  const matchesShownText = useMemo(() => {
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
  const [sorting, setSorting] = useState<SortingState>([{ id: 'recordedAt', desc: true }]);
  const [globalFilter, setGlobalFilter] = useState('');
  const [columnFilters, setColumnFilters] = useState<ColumnFiltersState>([]);
  const [grouping, setGrouping] = useState<GroupingState>([]);

  const drilled = useMemo(() => (drill === null ? rows : rows.filter(drill.matches)), [rows, drill]);
  const table = useTable({
    features,
    columns,
    data: drilled,
    state: { sorting, globalFilter, columnFilters, grouping },
    onSortingChange: setSorting,
    onGlobalFilterChange: setGlobalFilter,
    onColumnFiltersChange: setColumnFilters,
    onGroupingChange: setGrouping,
    globalFilterFn: matchesShownText,
    // The filter reads the whole row (see matchesShownText): asking it once per row is enough.
    getColumnCanGlobalFilter: (column) => column.id === OUTCOME_COLUMNS[0],
    groupedColumnMode: false,
  });

  const scroller = useRef<HTMLDivElement>(null);
  const visible = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => visible[index]?.id ?? index,
    overscan: 10,
    // The viewport has a fixed height; where there is no layout yet (first paint, jsdom) use it.
    initialRect: { width: 0, height: TABLE_VIEWPORT_HEIGHT },
    observeElementRect: (instance, onRect) =>
      observeElementRect(instance, (rect) => onRect(rect.height > 0 ? rect : { width: rect.width, height: TABLE_VIEWPORT_HEIGHT })),
  });

  const filteredLeaves = table.getFilteredRowModel().rows;
  const filtered = useMemo(() => filteredLeaves.map((r) => r.original), [filteredLeaves]);
  const resultFilter = (columnFilters.find((c) => c.id === 'result')?.value as OutcomeResult | undefined) ?? '';
  const groupBy = (grouping[0] as GroupByColumn | undefined) ?? '';
  const exportLanguage: ExportLanguage = { t, labels, offerNames };
  // The file is named by the operator's date, like the report period.
  const stamp = () => operatorDateTime(new Date().toISOString()).slice(0, 10);

  return (
    <section className="panel outcomes-table" data-testid="outcomes-table">
      <div className="table-tools">
        <input
          type="search"
          data-testid="report-filter-text"
          aria-label={t('report.filterText')}
          placeholder={t('report.filterText')}
          value={globalFilter}
          onChange={(e) => setGlobalFilter(e.target.value)}
        />
        <select
          data-testid="report-filter-result"
          aria-label={t('report.filterResult')}
          value={resultFilter}
          onChange={(e) => {
            const parsed = OutcomeResult.safeParse(e.target.value);
            setColumnFilters(parsed.success ? [{ id: 'result', value: parsed.data }] : []);
          }}
        >
          <option value="">{t('report.allResults')}</option>
          {OUTCOME_RESULTS.map((r) => (
            <option key={r} value={r}>
              {t(`outcome.result.${r}`)}
            </option>
          ))}
        </select>
        <select
          data-testid="report-group-by"
          aria-label={t('report.groupBy')}
          value={groupBy}
          onChange={(e) => {
            const id = GROUP_BY_COLUMNS.find((c) => c === e.target.value);
            setGrouping(id === undefined ? [] : [id]);
          }}
        >
          <option value="">{t('report.noGrouping')}</option>
          {GROUP_BY_COLUMNS.map((id) => (
            <option key={id} value={id}>
              {t('report.groupByColumn', { column: columnLabel(t, id) })}
            </option>
          ))}
        </select>
        {drill !== null && (
          <button type="button" className="drill-chip" data-testid="report-drill" onClick={onClearDrill} title={t('report.drill.clear')}>
            {t('report.drill.active', { kpi: drill.label })} ✕
          </button>
        )}
        <span className="row-count" data-testid="report-row-count" data-count={filtered.length}>
          {t('report.rowCount', { count: filtered.length, total: rows.length })}
        </span>
        <button
          type="button"
          data-testid="export-csv"
          onClick={() =>
            downloadBlob(new Blob([outcomesCsv(filtered, exportLanguage)], { type: 'text/csv;charset=utf-8' }), `${t('report.exportFile')}-${stamp()}.csv`)
          }
        >
          {t('report.exportCsv')}
        </button>
        <button
          type="button"
          data-testid="export-xlsx"
          onClick={() => void outcomesXlsx(filtered, exportLanguage).then((blob) => downloadBlob(blob, `${t('report.exportFile')}-${stamp()}.xlsx`))}
        >
          {t('report.exportXlsx')}
        </button>
      </div>

      <div className="grid" role="table" aria-rowcount={visible.length + 1}>
        <div className="grid-head" role="rowgroup">
          {table.getHeaderGroups().map((group) => (
            <div key={group.id} className="grid-row" role="row">
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <button
                    key={header.id}
                    type="button"
                    role="columnheader"
                    className={`grid-cell col-${header.column.id}`}
                    data-testid={`sort-${header.column.id}`}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                    onClick={header.column.getToggleSortingHandler()}
                  >
                    {columnLabel(t, header.column.id as OutcomeColumnId)}
                    {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                  </button>
                );
              })}
            </div>
          ))}
        </div>
        <div ref={scroller} className="grid-body" role="rowgroup" style={{ height: TABLE_VIEWPORT_HEIGHT, overflow: 'auto' }} data-testid="outcomes-scroll">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = visible[item.index];
              if (row === undefined) return null;
              const style = { position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` } as const;
              if (row.getIsGrouped()) {
                const leaves = row.getLeafRows().map((r) => r.original);
                const acceptance = acceptanceOf(leaves);
                const column = row.groupingColumnId as OutcomeColumnId;
                const first = leaves[0];
                return (
                  <div
                    key={row.id}
                    role="row"
                    className="grid-row group-row"
                    style={style}
                    data-testid="outcome-group"
                    data-group={String(row.groupingValue ?? '')}
                    data-count={leaves.length}
                  >
                    <span className="grid-cell group-label">
                      {columnLabel(t, column)}: <strong>{first === undefined ? '—' : cellText(first, column, labels, offerNames, f)}</strong>
                    </span>
                    <span className="grid-cell">{t('report.groupCount', { count: leaves.length })}</span>
                    <span className="grid-cell" data-testid="group-acceptance">
                      {t('report.groupAcceptance', {
                        rate: acceptance.rate === null ? '—' : f.probability(acceptance.rate),
                        accepted: acceptance.accepted,
                        presented: acceptance.presented,
                      })}
                    </span>
                  </div>
                );
              }
              return (
                <div key={row.id} role="row" className="grid-row" style={style} data-testid="outcome-row" data-outcome-id={row.original.outcomeId}>
                  {row.getAllCells().map((cell) => (
                    <span key={cell.id} role="cell" className={`grid-cell col-${cell.column.id}`}>
                      {cellText(row.original, cell.column.id as OutcomeColumnId, labels, offerNames, f)}
                    </span>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}
