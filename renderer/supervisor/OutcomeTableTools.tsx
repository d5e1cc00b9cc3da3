// Above the outcome table: the text and result filters, the grouping, the KPI drill-down chip,
// the row count and the exports of what is filtered.
import { useTranslation } from 'react-i18next';
import { OUTCOME_RESULTS } from '../../shared/contract/outcomes';
import type { OfferNames, OutcomeReportRow } from '../../shared/contract/supervisor-reports';
import { useCodeLabels } from '../format/code-labels';
import { operatorDateTime } from '../format/operator-time';
import { downloadBlob, outcomesCsv, outcomesXlsx, type ExportLanguage } from './export-outcomes';
import { columnLabel, GROUP_BY_COLUMNS } from './outcome-columns';
import type { OutcomeTableControls, TableDrill } from './outcome-table-model';

function OutcomeFilters({ controls }: { controls: OutcomeTableControls }) {
  const { t } = useTranslation();
  return (
    <>
      <input
        type="search"
        data-testid="report-filter-text"
        aria-label={t('report.filterText')}
        placeholder={t('report.filterText')}
        value={controls.text}
        onChange={(e) => controls.setText(e.target.value)}
      />
      <select
        data-testid="report-filter-result"
        aria-label={t('report.filterResult')}
        value={controls.result}
        onChange={(e) => controls.setResult(e.target.value)}
      >
        <option value="">{t('report.allResults')}</option>
        {OUTCOME_RESULTS.map((r) => (
          <option key={r} value={r}>
            {t(`outcome.result.${r}`)}
          </option>
        ))}
      </select>
      <select data-testid="report-group-by" aria-label={t('report.groupBy')} value={controls.groupBy} onChange={(e) => controls.setGroupBy(e.target.value)}>
        <option value="">{t('report.noGrouping')}</option>
        {GROUP_BY_COLUMNS.map((id) => (
          <option key={id} value={id}>
            {t('report.groupByColumn', { column: columnLabel(t, id) })}
          </option>
        ))}
      </select>
    </>
  );
}

function OutcomeExports({ filtered, offerNames }: { filtered: readonly OutcomeReportRow[]; offerNames: OfferNames }) {
  const { t } = useTranslation();
  const labels = useCodeLabels();
  const exportLanguage: ExportLanguage = { t, labels, offerNames };
  // The file is named by the operator's date, like the report period.
  const fileName = (extension: string) => `${t('report.exportFile')}-${operatorDateTime(new Date().toISOString()).slice(0, 10)}.${extension}`;
  return (
    <>
      <button
        type="button"
        data-testid="export-csv"
        onClick={() => downloadBlob(new Blob([outcomesCsv(filtered, exportLanguage)], { type: 'text/csv;charset=utf-8' }), fileName('csv'))}
      >
        {t('report.exportCsv')}
      </button>
      <button
        type="button"
        data-testid="export-xlsx"
        onClick={() => void outcomesXlsx(filtered, exportLanguage).then((blob) => downloadBlob(blob, fileName('xlsx')))}
      >
        {t('report.exportXlsx')}
      </button>
    </>
  );
}

export function OutcomeTableTools({
  controls,
  drill,
  onClearDrill,
  filtered,
  total,
  offerNames,
}: {
  controls: OutcomeTableControls;
  drill: TableDrill | null;
  onClearDrill: () => void;
  filtered: readonly OutcomeReportRow[];
  total: number;
  offerNames: OfferNames;
}) {
  const { t } = useTranslation();
  return (
    <div className="table-tools">
      <OutcomeFilters controls={controls} />
      {drill !== null && (
        <button type="button" className="drill-chip" data-testid="report-drill" onClick={onClearDrill} title={t('report.drill.clear')}>
          {t('report.drill.active', { kpi: drill.label })} ✕
        </button>
      )}
      <span className="row-count" data-testid="report-row-count" data-count={filtered.length}>
        {t('report.rowCount', { count: filtered.length, total })}
      </span>
      <OutcomeExports filtered={filtered} offerNames={offerNames} />
    </div>
  );
}
