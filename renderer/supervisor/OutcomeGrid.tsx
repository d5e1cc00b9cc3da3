// The outcome table itself: sortable headers and a virtualized body (only the rows in view are in
// the DOM, so 100,000 rows scroll smoothly). A cell too narrow for its text ends in an ellipsis and
// shows the whole text on hover.
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import type { OfferNames, OutcomeReportRow } from '../../shared/contract/supervisor-reports';
import { useCodeLabels } from '../format/code-labels';
import { useFormatters } from '../format/use-formatters';
import { acceptanceOf, columnLabel, OUTCOME_COLUMNS, type OutcomeColumnId } from './outcome-columns';
import { cellText, isNumericColumn, type OutcomeGroup, type OutcomeTable, type OutcomeTableView } from './outcome-table-model';

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
function GroupRow({ group, style, offerNames }: { group: OutcomeGroup; style: RowStyle; offerNames: OfferNames }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const labels = useCodeLabels();
  const acceptance = acceptanceOf(group.rows);
  const first = group.rows[0];
  const value = first === undefined ? '—' : cellText(first, group.column, labels, offerNames, f);
  return (
    <div
      role="row"
      className="grid-row group-row"
      style={style}
      data-testid="outcome-group"
      data-group={String(group.value ?? '')}
      data-count={group.rows.length}
    >
      <span className="grid-cell group-label" title={value}>
        {columnLabel(t, group.column)}: <strong>{value}</strong>
      </span>
      <span className="grid-cell">{t('report.groupCount', { count: group.rows.length })}</span>
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

function OutcomeRow({ row, style, offerNames }: { row: OutcomeReportRow; style: RowStyle; offerNames: OfferNames }) {
  const f = useFormatters();
  const labels = useCodeLabels();
  return (
    <div role="row" className="grid-row" style={style} data-testid="outcome-row" data-outcome-id={row.outcomeId}>
      {OUTCOME_COLUMNS.map((id) => {
        const text = cellText(row, id, labels, offerNames, f);
        return (
          <span key={id} role="cell" className={columnClass(id)} title={text}>
            {text}
          </span>
        );
      })}
    </div>
  );
}

const itemCount = (view: OutcomeTableView) => (view.grouped ? view.groups.length : view.rows.length);

function OutcomeGridBody({ view, offerNames }: { view: OutcomeTableView; offerNames: OfferNames }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: itemCount(view),
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => (view.grouped ? `group:${String(view.groups[index]?.value ?? '')}` : (view.rows[index]?.outcomeId ?? index)),
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
          const style: RowStyle = { position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` };
          if (view.grouped) {
            const group = view.groups[item.index];
            return group === undefined ? null : <GroupRow key={item.key} group={group} style={style} offerNames={offerNames} />;
          }
          const row = view.rows[item.index];
          return row === undefined ? null : <OutcomeRow key={item.key} row={row} style={style} offerNames={offerNames} />;
        })}
      </div>
    </div>
  );
}

export function OutcomeGrid({ table, view, offerNames }: { table: OutcomeTable; view: OutcomeTableView; offerNames: OfferNames }) {
  return (
    <div className="grid" role="table" aria-rowcount={itemCount(view) + 1}>
      <OutcomeGridHead table={table} />
      <OutcomeGridBody view={view} offerNames={offerNames} />
    </div>
  );
}
