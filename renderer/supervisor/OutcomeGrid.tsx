// The outcome table itself: sortable headers and a virtualized body (only the rows in view are in
// the DOM, so 100,000 rows scroll smoothly). A cell too narrow for its text ends in an ellipsis and
// shows the whole text on hover.
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import type { OfferNames } from '../../shared/contract/supervisor-reports';
import { useCodeLabels } from '../format/code-labels';
import { useFormatters } from '../format/use-formatters';
import { acceptanceOf, columnLabel, type OutcomeColumnId } from './outcome-columns';
import { cellText, isNumericColumn, type OutcomeTable, type OutcomeTableRow } from './outcome-table-model';

const ROW_HEIGHT = 30;
const TABLE_VIEWPORT_HEIGHT = 360;

const columnClass = (id: string) => `grid-cell col-${id}${isNumericColumn(id as OutcomeColumnId) ? ' num' : ''}`;

function OutcomeGridHead({ table }: { table: OutcomeTable }) {
  const { t } = useTranslation();
  return (
    <div className="grid-head" role="rowgroup">
      {table.getHeaderGroups().map((group) => (
        <div key={group.id} className="grid-row" role="row">
          {group.headers.map((header) => {
            const sorted = header.column.getIsSorted();
            const label = columnLabel(t, header.column.id as OutcomeColumnId);
            return (
              <button
                key={header.id}
                type="button"
                role="columnheader"
                className={columnClass(header.column.id)}
                data-testid={`sort-${header.column.id}`}
                title={label}
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                onClick={header.column.getToggleSortingHandler()}
              >
                {label}
                {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
              </button>
            );
          })}
        </div>
      ))}
    </div>
  );
}

type RowStyle = { position: 'absolute'; top: 0; left: 0; right: 0; height: number; transform: string };

/** A group's row: the value grouped by, how many outcomes, and their acceptance rate. */
function GroupRow({ row, style, offerNames }: { row: OutcomeTableRow; style: RowStyle; offerNames: OfferNames }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const labels = useCodeLabels();
  const leaves = row.getLeafRows().map((r) => r.original);
  const acceptance = acceptanceOf(leaves);
  const column = row.groupingColumnId as OutcomeColumnId;
  const first = leaves[0];
  const value = first === undefined ? '—' : cellText(first, column, labels, offerNames, f);
  return (
    <div
      role="row"
      className="grid-row group-row"
      style={style}
      data-testid="outcome-group"
      data-group={String(row.groupingValue ?? '')}
      data-count={leaves.length}
    >
      <span className="grid-cell group-label" title={value}>
        {columnLabel(t, column)}: <strong>{value}</strong>
      </span>
      <span className="grid-cell">{t('report.groupCount', { count: leaves.length })}</span>
      <span className="grid-cell" data-testid="group-acceptance">
        {t('report.groupAcceptance', {
          rate: acceptance.rate === null ? '—' : f.share(acceptance.rate),
          accepted: acceptance.accepted,
          presented: acceptance.presented,
        })}
      </span>
    </div>
  );
}

function OutcomeRow({ row, style, offerNames }: { row: OutcomeTableRow; style: RowStyle; offerNames: OfferNames }) {
  const f = useFormatters();
  const labels = useCodeLabels();
  return (
    <div role="row" className="grid-row" style={style} data-testid="outcome-row" data-outcome-id={row.original.outcomeId}>
      {row.getAllCells().map((cell) => {
        const text = cellText(row.original, cell.column.id as OutcomeColumnId, labels, offerNames, f);
        return (
          <span key={cell.id} role="cell" className={columnClass(cell.column.id)} title={text}>
            {text}
          </span>
        );
      })}
    </div>
  );
}

function OutcomeGridBody({ rows, offerNames }: { rows: OutcomeTableRow[]; offerNames: OfferNames }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 10,
    // The viewport has a fixed height; where there is no layout yet (first paint, jsdom) use it.
    initialRect: { width: 0, height: TABLE_VIEWPORT_HEIGHT },
    observeElementRect: (instance, onRect) =>
      observeElementRect(instance, (rect) => onRect(rect.height > 0 ? rect : { width: rect.width, height: TABLE_VIEWPORT_HEIGHT })),
  });
  return (
    <div ref={scroller} className="grid-body" role="rowgroup" style={{ height: TABLE_VIEWPORT_HEIGHT, overflow: 'auto' }} data-testid="outcomes-scroll">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          if (row === undefined) return null;
          const style: RowStyle = { position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` };
          return row.getIsGrouped() ? (
            <GroupRow key={row.id} row={row} style={style} offerNames={offerNames} />
          ) : (
            <OutcomeRow key={row.id} row={row} style={style} offerNames={offerNames} />
          );
        })}
      </div>
    </div>
  );
}

export function OutcomeGrid({ table, offerNames }: { table: OutcomeTable; offerNames: OfferNames }) {
  const rows = table.getRowModel().rows;
  return (
    <div className="grid" role="table" aria-rowcount={rows.length + 1}>
      <OutcomeGridHead table={table} />
      <OutcomeGridBody rows={rows} offerNames={offerNames} />
    </div>
  );
}
