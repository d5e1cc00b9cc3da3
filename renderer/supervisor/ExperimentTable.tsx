// Champion / challenger: each arm's acceptance with its 95 % interval, and how likely each
// challenger is to beat the champion.
import { useTranslation } from 'react-i18next';
import type { ArmResult, ExperimentResult, OfferNames } from '../../shared/contract/supervisor-reports';
import { useCodeLabels } from '../format/code-labels';
import { useFormatters } from '../format/use-formatters';

export function ExperimentTable({ experiments, offerNames }: { experiments: readonly ExperimentResult[]; offerNames: OfferNames }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const labels = useCodeLabels();
  // An experiment has no name of its own in the catalogue: it is the test of its champion.
  const experimentName = (e: ExperimentResult) => t('report.exp.name', { offer: labels.offerIn(offerNames, e.champion.offerId) });
  const arm = (a: ArmResult, role: 'champion' | 'challenger', beats: number | null, e: ExperimentResult) => (
    <tr key={`${e.experimentId}-${a.offerId}`} data-testid="experiment-arm" data-arm={role} data-offer-id={a.offerId} data-experiment-id={e.experimentId}>
      <td>{experimentName(e)}</td>
      <td>{t(`offer.arm.${role}`)}</td>
      <td>{labels.offerIn(offerNames, a.offerId)}</td>
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
      <p className="hint" data-testid="experiments-scope">
        {t('report.exp.scope')}
      </p>
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
              arm(e.champion, 'champion', null, e),
              ...e.challengers.map((c) => arm(c, 'challenger', c.probabilityBeatsChampion, e)),
            ])}
          </tbody>
        </table>
      )}
    </section>
  );
}
