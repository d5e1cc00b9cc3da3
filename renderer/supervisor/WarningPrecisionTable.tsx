// The warning levels on realised churn, for supervisors: per final month, how many customers at each
// level then left (realised precision) and how many of the month's leavers were warned (recall), next
// to the precision the level was set for at training, with the counts behind each figure. When red's
// realised precision is far below its target it says so in words, so that "red" is not read as
// "7 in 10 of these leave".
import { useTranslation } from 'react-i18next';
import type { MonthWarningPrecision } from '../../shared/analytics/monitoring/warning-precision';
import { shareOrNull } from '../../shared/analytics/programme-effect';
import { useFormatters } from '../format/use-formatters';
import { orDash } from './or-dash';

/** Said above the table when red, in the latest final month, is far below its training target. */
function RedFarBelowTarget({ month, days }: { month: MonthWarningPrecision; days: number }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const red = month.levels.find((l) => l.level === 'red');
  if (red === undefined || !red.farBelowTarget || red.precision === null) return null;
  return (
    <div className="short-of-training" role="alert" data-testid="red-far-below-target">
      <h3>{t('models.warningPrecision.redFarBelow.title', { target: f.share(red.target) })}</h3>
      <p>
        {t('models.warningPrecision.redFarBelow.figures', {
          month: month.month,
          customers: f.integer(red.customers),
          churned: f.integer(red.churned),
          days,
          precision: f.share(red.precision),
          target: f.share(red.target),
        })}
      </p>
      <p className="hint">{t('models.warningPrecision.redFarBelow.what', { target: f.share(red.target) })}</p>
    </div>
  );
}

export function WarningPrecisionTable({ months, days }: { months: readonly MonthWarningPrecision[]; days: number }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const latest = months.at(-1);
  return (
    <section className="panel" data-testid="warning-precision">
      <h3>{t('models.warningPrecision.title')}</h3>
      {latest === undefined ? (
        <p className="hint">{t('models.warningPrecision.noFinalMonth', { days })}</p>
      ) : (
        <>
          <RedFarBelowTarget month={latest} days={days} />
          <p className="hint">{t('models.warningPrecision.explain', { days })}</p>
          <table className="models-table">
            <thead>
              <tr>
                <th>{t('models.month.month')}</th>
                <th>{t('models.warningPrecision.level')}</th>
                <th className="num">{t('models.warningPrecision.customers')}</th>
                <th className="num">{t('models.warningPrecision.churned')}</th>
                <th className="num">{t('models.warningPrecision.precision')}</th>
                <th className="num">{t('models.warningPrecision.precisionAtOrAbove')}</th>
                <th className="num">{t('models.warningPrecision.target')}</th>
                <th className="num">{t('models.warningPrecision.recall')}</th>
              </tr>
            </thead>
            <tbody>
              {months.flatMap((month) => [
                ...month.levels.map((level, i) => (
                  <tr
                    key={`${month.month}-${level.level}`}
                    data-testid="warning-precision-row"
                    data-month={month.month}
                    data-level={level.level}
                    data-far-below={level.farBelowTarget}
                  >
                    {i === 0 && <td rowSpan={month.levels.length + 1}>{month.month}</td>}
                    <td>{t(`warning.${level.level}`)}</td>
                    <td className="num">{f.integer(level.customers)}</td>
                    <td className="num">{f.integer(level.churned)}</td>
                    <td className="num">{orDash(level.precision, f.share)}</td>
                    <td className="num">{orDash(level.precisionAtOrAbove, f.share)}</td>
                    <td className="num">{f.share(level.target)}</td>
                    <td className="num">{orDash(level.recall, f.share)}</td>
                  </tr>
                )),
                <tr key={`${month.month}-none`} data-testid="warning-precision-row" data-month={month.month} data-level="none">
                  <td>{t('warning.none')}</td>
                  <td className="num">{f.integer(month.unwarnedCustomers)}</td>
                  <td className="num">{f.integer(month.unwarnedChurned)}</td>
                  <td className="num">{orDash(shareOrNull(month.unwarnedChurned, month.unwarnedCustomers), f.share)}</td>
                  <td className="num">—</td>
                  <td className="num">—</td>
                  <td className="num">—</td>
                </tr>,
              ])}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
