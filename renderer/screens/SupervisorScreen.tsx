// Supervisors and admins: retention KPIs, trends, uplift, experiments and every outcome of a period.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DeskHeader } from '../components/DeskHeader';
import { ErrorText } from '../components/ErrorText';
import { operatorDate } from '../format/operator-time';
import { useFormatters } from '../format/use-formatters';
import { defaultReportQuery } from '../state/report-period';
import { useDesk, useDeskActions } from '../state/store-context';
import { trendOption, upliftOption } from '../supervisor/chart-options';
import { descriptiveDifferenceText } from '../supervisor/descriptive-difference';
import { EChart } from '../supervisor/EChart';
import { ExperimentTable } from '../supervisor/ExperimentTable';
import { ProgrammeEffects } from '../supervisor/ProgrammeEffects';
import { kpiRows, type DrillableKpi } from '../supervisor/kpi-drill';
import { KpiTiles } from '../supervisor/KpiTiles';
import { OutcomesTable } from '../supervisor/OutcomesTable';
import type { TableDrill } from '../supervisor/outcome-table-model';
import { ReportFilters } from '../supervisor/ReportFilters';

/** `nav`: the page tabs (retention, models) shown in the toolbar. */
export function SupervisorScreen({ nav }: { nav?: ReactNode } = {}) {
  const { t } = useTranslation();
  const f = useFormatters();
  const reports = useDesk((s) => s.reports);
  const ownTeam = useDesk((s) => s.session?.team ?? null);
  // A supervisor sees the team they lead, whatever is asked (the central API scopes it); an admin any team.
  const ledTeam = useDesk((s) => (s.session?.role === 'supervisor' ? (s.session.team ?? null) : null));
  const { loadReports } = useDeskActions();
  const [drillKpi, setDrillKpi] = useState<DrillableKpi | null>(null);

  useEffect(() => {
    void loadReports();
  }, [loadReports]);

  const retention = reports.retention?.report ?? null;
  const outcomes = reports.outcomes?.report ?? null;
  const rows = outcomes?.rows;
  const cachedAt = reports.retention?.cachedAt ?? reports.outcomes?.cachedAt ?? null;
  // No channel lists the teams: offer the supervisor's own and every team seen in the outcomes.
  const teams = useMemo(
    () => (ledTeam !== null ? [ledTeam] : [...new Set([ownTeam, ...(rows ?? []).map((r) => r.team)].filter((x): x is string => x !== null))].sort()),
    [ledTeam, ownTeam, rows],
  );
  // The day the report was made on is not over: its trend point counts the hours so far.
  const partialDay = retention === null ? null : operatorDate(retention.generatedAt);
  const trend = useMemo(() => (retention === null ? null : trendOption(retention.trend, t, f, partialDay)), [retention, t, f, partialDay]);
  const uplift = useMemo(() => (retention === null ? null : upliftOption(retention.uplift, t, f)), [retention, t, f]);
  const drill = useMemo<TableDrill | null>(
    () => (drillKpi === null || outcomes === null ? null : { label: t(`report.kpi.${drillKpi}`), matches: kpiRows(drillKpi, outcomes.generatedAt) }),
    [drillKpi, outcomes, t],
  );
  const current = reports.status === 'done' && reports.error === null;

  return (
    <div className="desk desk-supervisor">
      <DeskHeader />
      <div className="desk-toolbar">
        {nav}
        <ReportFilters
          key={reports.query === null ? 'default' : `${reports.query.from}-${reports.query.to}-${reports.query.team ?? ''}`}
          query={reports.query ?? defaultReportQuery(new Date())}
          shown={retention?.query ?? null}
          current={current}
          teams={teams}
          ledTeam={ledTeam}
          loading={reports.status === 'loading'}
          onApply={(query) => void loadReports(query)}
        />
        {cachedAt !== null && (
          <span className="cached-note" data-testid="report-cached" role="status">
            {t('report.cachedAt', { time: f.dateTime(cachedAt) })}
          </span>
        )}
      </div>
      <main className={current ? 'supervisor-main' : 'supervisor-main stale'} data-stale={!current}>
        {reports.error !== null && <ErrorText failure={reports.error} testId="report-error" />}
        {retention === null && reports.status === 'loading' && <p className="hint">{t('report.loading')}</p>}
        {retention !== null && (
          <>
            <KpiTiles kpis={retention.kpis} drill={drillKpi} onDrill={setDrillKpi} />
            <div className="charts">
              <section className="panel">
                <h3>{t('report.trendTitle')}</h3>
                {trend !== null && <EChart option={trend} testId="chart-trend" label={t('report.trendTitle')} />}
              </section>
              <section className="panel">
                <h3>{t('report.upliftTitle')}</h3>
                {uplift !== null && <EChart option={uplift} testId="chart-uplift" label={t('report.upliftTitle')} />}
                <p className="hint" data-testid="uplift-value">
                  {descriptiveDifferenceText(retention.uplift.uplift, t, f)}
                </p>
              </section>
            </div>
            <ExperimentTable experiments={retention.experiments} offerNames={retention.offerNames} />
            <ProgrammeEffects programmes={retention.programmes} offerNames={retention.offerNames} />
          </>
        )}
        {outcomes !== null && <OutcomesTable rows={outcomes.rows} offerNames={outcomes.offerNames} drill={drill} onClearDrill={() => setDrillKpi(null)} />}
        {outcomes?.truncated === true && <p className="hint">{t('report.truncated')}</p>}
      </main>
    </div>
  );
}
