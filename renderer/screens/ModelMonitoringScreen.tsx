// The models in production, for supervisors and admins: champion and challenger, the champion's
// predictions measured on realised churn (calibration by decile, AUC and top-decile lift by month),
// the warning levels' realised precision against their training targets, feature drift, and the
// shadow challenger against the champion. Says plainly when there is not enough realised churn yet
// to measure anything.
import { useEffect, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { fallsShortOfTraining } from '../../shared/analytics/monitoring/realised-performance';
import type { ModelMonitoringReport, ModelVersionSummary, MonthPerformance } from '../../shared/contract/model-registry';
import { DeskHeader } from '../components/DeskHeader';
import { ErrorText } from '../components/ErrorText';
import { useFormatters } from '../format/use-formatters';
import { useDesk, useDeskActions } from '../state/store-context';
import { DriftTable } from '../supervisor/DriftTable';
import { EChart } from '../supervisor/EChart';
import { calibrationOption, performanceOption } from '../supervisor/model-chart-options';
import { orDash } from '../supervisor/or-dash';
import { WarningPrecisionTable } from '../supervisor/WarningPrecisionTable';

function ModelCard({ role, version }: { role: 'champion' | 'challenger'; version: ModelVersionSummary | null }) {
  const { t } = useTranslation();
  const f = useFormatters();
  return (
    <section className="panel model-card" data-testid={`model-${role}`} data-model-id={version?.modelId ?? ''}>
      <h3>{t(`models.role.${role}`)}</h3>
      {version === null ? (
        <p className="hint">{t(`models.role.none.${role}`)}</p>
      ) : (
        <dl className="model-facts">
          <dt>{t('models.card.id')}</dt>
          <dd title={version.modelId}>{version.modelId}</dd>
          <dt>{t('models.card.algo')}</dt>
          <dd>{t(`models.algo.${version.algo}`, { defaultValue: version.algo })}</dd>
          <dt>{t('models.card.since')}</dt>
          <dd>{f.dateTime(version.statusChangedAt)}</dd>
          <dt>{t('models.card.training')}</dt>
          <dd>
            {t('models.card.trainingValue', {
              rows: f.integer(version.trainingRows),
              rate: f.probability(version.trainingChurnRate),
              features: version.features.length,
            })}
          </dd>
          <dt>{t('models.card.metrics')}</dt>
          <dd>
            {t('models.card.metricsValue', {
              auc: f.measure(version.metrics.auc),
              brier: f.measure(version.metrics.brier),
              lift: f.ratio(version.metrics.topDecileLift),
            })}
          </dd>
        </dl>
      )}
    </section>
  );
}

function NotEnoughChurn({ report }: { report: ModelMonitoringReport }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const predictions = report.months.reduce((sum, month) => sum + month.customers, 0);
  const churned = report.months.reduce((sum, month) => sum + month.churned, 0);
  return (
    <section className="panel not-enough" data-testid="not-enough-churn">
      <h3>{t('models.notEnough.title')}</h3>
      <p>
        {predictions === 0
          ? t('models.notEnough.noPredictions', { days: report.horizonDays })
          : t('models.notEnough.counts', { predictions: f.integer(predictions), churned: f.integer(churned), minimum: f.integer(report.minimumChurned) })}
      </p>
      <p className="hint">{t('models.notEnough.how', { days: report.horizonDays })}</p>
    </section>
  );
}

function MonthTable({ months }: { months: readonly MonthPerformance[] }) {
  const { t } = useTranslation();
  const f = useFormatters();
  return (
    <table className="models-table" data-testid="model-months">
      <thead>
        <tr>
          <th>{t('models.month.month')}</th>
          <th className="num">{t('models.month.customers')}</th>
          <th className="num">{t('models.month.churned')}</th>
          <th className="num">AUC</th>
          <th className="num">{t('models.month.lift')}</th>
          <th className="num">Brier</th>
          <th>{t('models.month.state')}</th>
        </tr>
      </thead>
      <tbody>
        {months.map((month) => (
          <tr key={month.month} data-testid="model-month" data-month={month.month} data-enough={month.enough}>
            <td>{month.month}</td>
            <td className="num">{f.integer(month.customers)}</td>
            <td className="num">{f.integer(month.churned)}</td>
            <td className="num">{orDash(month.auc, f.measure)}</td>
            <td className="num">{orDash(month.topDecileLift, f.ratio)}</td>
            <td className="num">{orDash(month.brier, f.measure)}</td>
            <td>{!month.enough ? t('models.month.notEnough') : month.windowClosed ? t('models.month.final') : t('models.month.open')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Said above the charts when the champion's last final month falls well short of its training metrics. */
function ShortOfTraining({ report }: { report: ModelMonitoringReport }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const champion = report.champion;
  const month = report.months.findLast((m) => m.enough && m.windowClosed) ?? null;
  if (champion === null || month === null || !fallsShortOfTraining(champion.metrics.auc, month)) return null;
  return (
    <section className="panel short-of-training" role="alert" data-testid="short-of-training">
      <h3>{t('models.shortOfTraining.title')}</h3>
      <p>
        {t('models.shortOfTraining.figures', {
          month: month.month,
          auc: orDash(month.auc, f.measure),
          lift: orDash(month.topDecileLift, f.ratio),
          trainingAuc: f.measure(champion.metrics.auc),
          trainingLift: f.ratio(champion.metrics.topDecileLift),
        })}
      </p>
      <p className="hint">{t('models.shortOfTraining.what')}</p>
    </section>
  );
}

function Realised({ report }: { report: ModelMonitoringReport }) {
  const { t } = useTranslation();
  // A month whose window is still open has not yet seen all its leavers: its observed churn reads low.
  const calibrated = report.months.findLast((month) => month.enough && month.windowClosed) ?? report.months.findLast((month) => month.enough) ?? null;
  const calibration = useMemo(() => (calibrated === null ? null : calibrationOption(calibrated, t)), [calibrated, t]);
  const performance = useMemo(() => performanceOption(report.months, t), [report.months, t]);
  if (calibrated === null) return <NotEnoughChurn report={report} />;
  const calibrationTitle = t(calibrated.windowClosed ? 'models.calibration.title' : 'models.calibration.titleOpen', { month: calibrated.month });
  return (
    <>
      <ShortOfTraining report={report} />
      <div className="charts">
        <section className="panel">
          <h3>{calibrationTitle}</h3>
          {calibration !== null && <EChart option={calibration} testId="chart-calibration" label={calibrationTitle} />}
        </section>
        <section className="panel">
          <h3>{t('models.month.title')}</h3>
          <EChart option={performance} testId="chart-model-months" label={t('models.month.title')} />
        </section>
      </div>
      <section className="panel">
        <p className="hint">{t('models.month.explain', { days: report.horizonDays, minimum: report.minimumChurned })}</p>
        <MonthTable months={report.months} />
      </section>
    </>
  );
}

function ShadowPanel({ report }: { report: ModelMonitoringReport }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const shadow = report.shadow;
  return (
    <section className="panel" data-testid="model-shadow">
      <h3>{t('models.shadow.title')}</h3>
      {shadow === null ? (
        <p className="hint">{t('models.shadow.noChallenger')}</p>
      ) : shadow.customers === 0 ? (
        <p className="hint">{t('models.shadow.notScored', { model: shadow.modelId })}</p>
      ) : !shadow.enough ? (
        <p data-testid="shadow-not-enough">
          {t('models.shadow.notEnough', { customers: f.integer(shadow.customers), churned: f.integer(shadow.churned), minimum: report.minimumChurned })}
        </p>
      ) : (
        <p data-testid="shadow-compare">
          {t('models.shadow.compare', {
            customers: f.integer(shadow.customers),
            churned: f.integer(shadow.churned),
            champion: orDash(shadow.championAuc, f.measure),
            challenger: orDash(shadow.challengerAuc, f.measure),
          })}
        </p>
      )}
      <p className="hint">{t('models.shadow.hiddenFromCards')}</p>
    </section>
  );
}

export function ModelMonitoringScreen({ nav }: { nav: ReactNode }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const load = useDesk((s) => s.modelReport);
  const { loadModelReport } = useDeskActions();
  useEffect(() => {
    void loadModelReport();
  }, [loadModelReport]);
  const report = load.answer?.report ?? null;
  const cachedAt = load.answer?.cachedAt ?? null;

  return (
    <div className="desk desk-supervisor desk-models">
      <DeskHeader />
      <div className="desk-toolbar">
        {nav}
        <button type="button" data-testid="models-refresh" disabled={load.status === 'loading'} onClick={() => void loadModelReport()}>
          {load.status === 'loading' ? t('report.loading') : t('models.refresh')}
        </button>
        {cachedAt !== null && (
          <span className="cached-note" role="status">
            {t('report.cachedAt', { time: f.dateTime(cachedAt) })}
          </span>
        )}
      </div>
      <main className="supervisor-main">
        {load.error !== null && <ErrorText failure={load.error} testId="models-error" />}
        {report === null && load.status === 'loading' && <p className="hint">{t('report.loading')}</p>}
        {report !== null && (
          <>
            <div className="model-cards">
              <ModelCard role="champion" version={report.champion} />
              <ModelCard role="challenger" version={report.challenger} />
            </div>
            <Realised report={report} />
            <WarningPrecisionTable months={report.warningPrecision} days={report.horizonDays} />
            <ShadowPanel report={report} />
            <DriftTable report={report} />
          </>
        )}
      </main>
    </div>
  );
}
