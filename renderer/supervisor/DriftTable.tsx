// Feature drift: the population stability index of each model feature between the champion's
// training data and the active book, largest first, those above the threshold flagged, with when it
// was measured (as the book was last scored).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createColumnHelper, createSortedRowModel, rowSortingFeature, sortFn_basic, tableFeatures, useTable, type SortingState } from '@tanstack/react-table';
import type { ModelMonitoringReport } from '../../shared/contract/model-registry';
import { useFormatters } from '../format/use-formatters';

type DriftRow = ModelMonitoringReport['drift'][number];

const features = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel(), sortFns: { basic: sortFn_basic } });
const helper = createColumnHelper<typeof features, DriftRow>();
const columns = helper.columns([helper.accessor('feature', { id: 'feature', enableSorting: false }), helper.accessor('psi', { id: 'psi', sortFn: 'basic' })]);

export function DriftTable({ report }: { report: ModelMonitoringReport }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const [sorting, setSorting] = useState<SortingState>([{ id: 'psi', desc: true }]);
  const table = useTable({ features, columns, data: report.drift, state: { sorting }, onSortingChange: setSorting });
  const flagged = report.drift.filter((d) => d.flagged).length;
  const psiColumn = table.getColumn('psi');
  const sorted = psiColumn?.getIsSorted();
  return (
    <section className="panel model-drift" data-testid="model-drift">
      <h3>{t('models.drift.title')}</h3>
      <p className="hint" data-testid="drift-summary">
        {report.drift.length === 0
          ? t('models.drift.none')
          : flagged === 0
            ? t('models.drift.stable', { threshold: f.decimal(report.driftThreshold), customers: f.integer(report.driftCustomers) })
            : t('models.drift.flaggedCount', { count: flagged, threshold: f.decimal(report.driftThreshold), customers: f.integer(report.driftCustomers) })}
      </p>
      {report.driftComputedAt !== null && (
        <p className="hint" data-testid="drift-computed-at">
          {t('models.drift.computedAt', { time: f.dateTime(report.driftComputedAt) })}
        </p>
      )}
      {report.drift.length > 0 && (
        <table className="models-table">
          <thead>
            <tr>
              <th>{t('models.drift.feature')}</th>
              <th className="num">
                <button type="button" className="sort-button" data-testid="sort-psi" onClick={psiColumn?.getToggleSortingHandler()}>
                  {t('models.drift.psi')}
                  {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                </button>
              </th>
              <th>{t('models.drift.verdict')}</th>
            </tr>
          </thead>
          <tbody>
            {table.getRowModel().rows.map(({ original: row }) => (
              <tr
                key={row.feature}
                data-testid="drift-row"
                data-feature={row.feature}
                data-flagged={row.flagged}
                className={row.flagged ? 'flagged' : undefined}
              >
                <td>{t(`modelFeature.${row.feature}`, { defaultValue: row.feature })}</td>
                <td className="num">{f.measure(row.psi)}</td>
                <td>{row.flagged ? t('models.drift.flagged') : t('models.drift.ok')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
