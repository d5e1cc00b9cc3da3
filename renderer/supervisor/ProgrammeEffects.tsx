// The retention programmes measured against their randomised control groups: churn of treated and
// held-out customers 30/60/90 days after assignment, the difference with its 95 % interval and the
// probability the programme helps, and what the customers it kept are worth; said plainly when the
// groups are still too small to tell.
import { useTranslation } from 'react-i18next';
import type { OfferNames, ProgrammeEffect, ProgrammeWindow } from '../../shared/contract/supervisor-reports';
import { useCodeLabels } from '../format/code-labels';
import { useFormatters } from '../format/use-formatters';

type Verdict = 'notEnough' | 'helps' | 'harms' | 'unclear';

function verdictOf(programme: ProgrammeEffect): { verdict: Verdict; window: ProgrammeWindow | undefined } {
  const window = programme.windows.find((w) => w.days === programme.value?.days);
  const interval = window?.interval ?? null;
  if (window === undefined || interval === null) return { verdict: 'notEnough', window: programme.windows[0] };
  return { verdict: interval[0] > 0 ? 'helps' : interval[1] < 0 ? 'harms' : 'unclear', window };
}

export function ProgrammeEffects({ programmes, offerNames }: { programmes: readonly ProgrammeEffect[]; offerNames: OfferNames }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const labels = useCodeLabels();
  const points = (share: number) => f.decimal(Math.round(share * 1000) / 10);
  const group = (g: ProgrammeWindow['treated']) =>
    t('report.prog.group', { churned: f.integer(g.churned), customers: f.integer(g.customers), rate: g.churnRate === null ? '—' : f.share(g.churnRate) });

  return (
    <section className="panel programmes" data-testid="programmes">
      <h3>{t('report.prog.title')}</h3>
      <p className="hint">{t('report.prog.scope')}</p>
      {programmes.length === 0 && <p className="hint">{t('report.prog.none')}</p>}
      {programmes.map((programme) => {
        const { verdict, window } = verdictOf(programme);
        const value = programme.value;
        return (
          <article key={programme.programmeId} className="programme" data-testid="programme" data-programme-id={programme.programmeId} data-verdict={verdict}>
            <h4>
              {t('report.prog.name', {
                offers: programme.offerIds.map((id) => labels.offerIn(offerNames, id)).join(t('report.prog.listSeparator')),
                share: f.share(programme.controlShare),
              })}
            </h4>
            <p className="hint" data-testid="programme-assigned">
              {t('report.prog.assigned', {
                treated: f.integer(programme.assigned.treated),
                control: f.integer(programme.assigned.control),
                exempt: f.integer(programme.assigned.exempt),
              })}
            </p>
            <p className="programme-verdict" data-testid="programme-verdict" role="status">
              {verdict === 'notEnough'
                ? t('report.prog.notEnough', {
                    minimum: f.integer(programme.minimumGroup),
                    days: window?.days ?? 0,
                    treated: f.integer(window?.treated.customers ?? 0),
                    control: f.integer(window?.control.customers ?? 0),
                  })
                : t(`report.prog.${verdict}`, {
                    days: window?.days ?? 0,
                    points: points(window?.difference ?? 0),
                    low: points(window?.interval?.[0] ?? 0),
                    high: points(window?.interval?.[1] ?? 0),
                  })}
            </p>
            <table>
              <thead>
                <tr>
                  <th>{t('report.prog.days')}</th>
                  <th>{t('report.prog.treated')}</th>
                  <th>{t('report.prog.control')}</th>
                  <th>{t('report.prog.difference')}</th>
                  <th>{t('report.prog.interval')}</th>
                  <th>{t('report.prog.probabilityHelps')}</th>
                </tr>
              </thead>
              <tbody>
                {programme.windows.map((w) => (
                  <tr key={w.days} data-testid="programme-window" data-days={w.days} data-enough={w.enoughData}>
                    <td>{t('report.prog.daysValue', { days: w.days })}</td>
                    <td className="num">{group(w.treated)}</td>
                    <td className="num">{group(w.control)}</td>
                    <td className="num">{w.difference === null ? t('value.notApplicable') : t('report.prog.pointsValue', { points: points(w.difference) })}</td>
                    <td className="num">
                      {w.interval === null
                        ? t('value.notApplicable')
                        : t('report.prog.intervalValue', { low: points(w.interval[0]), high: points(w.interval[1]) })}
                    </td>
                    <td className="num">{w.probabilityHelps === null ? t('value.notApplicable') : f.share(w.probabilityHelps)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {value !== null && (
              <dl className="programme-value" data-testid="programme-value">
                <dt>{t('report.prog.kept', { days: value.days })}</dt>
                <dd>
                  {t('report.prog.keptValue', {
                    kept: f.decimal(value.customersKept),
                    low: f.decimal(value.customersKeptInterval[0]),
                    high: f.decimal(value.customersKeptInterval[1]),
                  })}
                </dd>
                <dt>{t('report.prog.revenueKept')}</dt>
                <dd>
                  {t('report.prog.revenueValue', {
                    revenue: f.money(value.revenueKept),
                    arpu: f.money(value.arpu),
                    months: f.decimal(programme.expectedMonthsKept),
                  })}
                </dd>
                <dt>{t('report.prog.cost')}</dt>
                <dd>{f.money(value.cost)}</dd>
                <dt>{t('report.prog.net')}</dt>
                <dd data-testid="programme-net">
                  {t('report.prog.netValue', {
                    net: f.money(value.netValue),
                    low: f.money(value.netValueInterval[0]),
                    high: f.money(value.netValueInterval[1]),
                  })}
                </dd>
              </dl>
            )}
          </article>
        );
      })}
    </section>
  );
}
