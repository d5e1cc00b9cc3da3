// Champion / challenger: each arm's acceptance with its 95 % interval, and how likely each
// challenger is to beat the champion.
import { useTranslation } from 'react-i18next';
import type { ArmResult, ExperimentResult } from '../../shared/contract/reports';
import { useFormatters } from '../format/use-formatters';

export function ExperimentTable({ experiments }: { experiments: readonly ExperimentResult[] }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const arm = (a: ArmResult, role: 'champion' | 'challenger', beats: number | null, experimentId: string) => (
    <tr key={`${experimentId}-${a.offerId}`} data-testid="experiment-arm" data-arm={role} data-offer-id={a.offerId}>
      <td>{experimentId}</td>
      <td>{t(`offer.arm.${role}`)}</td>
      <td>{a.offerId}</td>
      <td className="num">{f.integer(a.presented)}</td>
      <td className="num">{f.integer(a.accepted)}</td>
      <td className="num">{f.probability(a.rate)}</td>
      <td className="num">{`${f.probability(a.interval[0])} – ${f.probability(a.interval[1])}`}</td>
      <td className="num" data-testid="experiment-beats">
        {beats === null ? t('value.notApplicable') : f.probability(beats)}
      </td>
    </tr>
  );
  return (
    <section className="panel experiments" data-testid="experiments">
      <h3>{t('report.experiments')}</h3>
      {experiments.length === 0 ? (
        <p className="hint">{t('report.noExperiments')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('report.exp.id')}</th>
              <th>{t('report.exp.arm')}</th>
              <th>{t('report.exp.offer')}</th>
              <th>{t('report.exp.presented')}</th>
              <th>{t('report.exp.accepted')}</th>
              <th>{t('report.exp.rate')}</th>
              <th>{t('report.exp.interval')}</th>
              <th>{t('report.exp.beats')}</th>
            </tr>
          </thead>
          <tbody>
            {experiments.flatMap((e) => [
              arm(e.champion, 'champion', null, e.experimentId),
              ...e.challengers.map((c) => arm(c, 'challenger', c.probabilityBeatsChampion, e.experimentId)),
            ])}
          </tbody>
        </table>
      )}
    </section>
  );
}
