// Supervisors and admins: retention KPIs, trends, uplift, experiments and every outcome of a period.
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { DeskHeader } from '../components/DeskHeader';
import { ErrorText } from '../components/ErrorText';
import { useFormatters } from '../format/use-formatters';
import { defaultReportQuery } from '../state/report-period';
import { useDesk, useDeskActions } from '../state/store-context';
import { trendOption, upliftOption } from '../supervisor/chart-options';
import { EChart } from '../supervisor/EChart';
import { ExperimentTable } from '../supervisor/ExperimentTable';
import { KpiTiles } from '../supervisor/KpiTiles';
import { OutcomesTable } from '../supervisor/OutcomesTable';
import { ReportFilters } from '../supervisor/ReportFilters';

export function SupervisorScreen() {
  const { t } = useTranslation();
  const f = useFormatters();
  const reports = useDesk((s) => s.reports);
  const ownTeam = useDesk((s) => s.session?.team ?? null);
  const { loadReports } = useDeskActions();

  useEffect(() => {
    void loadReports();
  }, [loadReports]);

  const retention = reports.retention?.report ?? null;
  const rows = reports.outcomes?.report.rows;
  const cachedAt = reports.retention?.cachedAt ?? reports.outcomes?.cachedAt ?? null;
  // No channel lists the teams: offer the supervisor's own and every team seen in the outcomes.
  const teams = useMemo(
    () => [...new Set([ownTeam, ...(rows ?? []).map((r) => r.team)].filter((x): x is string => x !== null))].sort(),
    [ownTeam, rows],
  );
  const trend = useMemo(() => (retention === null ? null : trendOption(retention.trend, t, f)), [retention, t, f]);
  const uplift = useMemo(() => (retention === null ? null : upliftOption(retention.uplift, t)), [retention, t]);

  return (
    <div className="desk desk-supervisor">
      <DeskHeader />
      <div className="desk-toolbar">
        <ReportFilters
          key={reports.query === null ? 'default' : `${reports.query.from}-${reports.query.to}-${reports.query.team ?? ''}`}
          query={reports.query ?? defaultReportQuery(new Date())}
          teams={teams}
          loading={reports.status === 'loading'}
          onApply={(query) => void loadReports(query)}
        />
        {cachedAt !== null && (
          <span className="cached-note" data-testid="report-cached" role="status">
            {t('report.cachedAt', { time: f.dateTime(cachedAt) })}
          </span>
        )}
      </div>
      <main className="supervisor-main">
        {reports.error !== null && <ErrorText failure={reports.error} testId="report-error" />}
        {retention === null && reports.status === 'loading' && <p className="hint">{t('report.loading')}</p>}
        {retention !== null && (
          <>
            <KpiTiles kpis={retention.kpis} />
            <div className="charts">
              <section className="panel">
                <h3>{t('report.trendTitle')}</h3>
                {trend !== null && <EChart option={trend} testId="chart-trend" label={t('report.trendTitle')} />}
              </section>
              <section className="panel">
                <h3>{t('report.upliftTitle')}</h3>
                {uplift !== null && <EChart option={uplift} testId="chart-uplift" label={t('report.upliftTitle')} />}
                <p className="hint" data-testid="uplift-value">
                  {retention.uplift.uplift === null
                    ? t('report.uplift.unknown')
                    : t('report.uplift.value', { points: f.decimal(retention.uplift.uplift * 100) })}
                </p>
              </section>
            </div>
            <ExperimentTable experiments={retention.experiments} offerNames={retention.offerNames} />
          </>
        )}
        {reports.outcomes !== null && <OutcomesTable rows={reports.outcomes.report.rows} offerNames={reports.outcomes.report.offerNames} />}
        {reports.outcomes?.report.truncated === true && <p className="hint">{t('report.truncated')}</p>}
      </main>
    </div>
  );
}
