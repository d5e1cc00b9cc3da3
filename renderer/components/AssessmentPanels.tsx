// Lifecycle stage, value and churn warning: the "who is this and how urgent" at a glance.
import { useTranslation } from 'react-i18next';
import type { CustomerCard } from '../../shared/contract/desk-api';
import { useFormatters } from '../format/use-formatters';
import { ReasonList } from './ReasonList';

/** Risk reasons shown on the card; the backend may send more. */
const TOP_RISK_REASONS = 3;

export function AssessmentPanels({ card }: { card: CustomerCard }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const a = card.assessment;
  const notApplicable = t('value.notApplicable');

  return (
    <>
      <div className="panel stage-panel">
        <h3>{t('section.stage')}</h3>
        <span className={`stage-badge stage-${a.stage}`} data-testid="card-stage" data-stage={a.stage}>
          {a.stage !== 'prospect' && <span className="stage-letter">{a.stage}</span>}
          {t(`stage.${a.stage}`)}
        </span>
        <ReasonList reasons={a.stageReasons} testId="card-stage-reasons" />
      </div>

      {card.kind === 'known' && (
        <div className="panel value-panel">
          {/* The tier beside the title, like the stage: one line fewer, so the risk panel below stays in view. */}
          <h3>{t('section.value')}</h3>
          <span className={`tier-badge tier-${a.valueTier ?? 'none'}`} data-testid="card-tier" data-tier={a.valueTier ?? ''} title={t('value.tier')}>
            {a.valueTier === null ? notApplicable : t(`tier.${a.valueTier}`)}
          </span>
          {a.personalKeyCustomer && (
            <span className="key-customer-badge" data-testid="card-key-customer">
              {t('value.keyCustomer')}
            </span>
          )}
          <dl className="metric-list">
            <dt>{t('value.clv')}</dt>
            <dd data-testid="card-clv">{a.clv === null ? notApplicable : f.money(a.clv)}</dd>
            <dt>{t('value.arpu3m')}</dt>
            <dd data-testid="card-arpu">{a.arpu3m === null ? notApplicable : f.money(a.arpu3m)}</dd>
            {a.rfm !== null && (
              <>
                <dt>{t('value.rfm')}</dt>
                <dd data-testid="card-rfm">{`R${a.rfm.r} · F${a.rfm.f} · M${a.rfm.m}`}</dd>
              </>
            )}
          </dl>
        </div>
      )}

      {card.kind === 'known' && (
        <div className={`panel risk-panel warning-${a.warningLevel}`}>
          <h3>{t('section.risk')}</h3>
          <div className="risk-line">
            <span className="risk-probability" data-testid="card-risk" title={t('risk.probability')}>
              {a.churnProbability === null ? notApplicable : f.probability(a.churnProbability)}
            </span>
            <span className={`warning-badge warning-${a.warningLevel}`} data-testid="card-warning" data-level={a.warningLevel}>
              {t(`warning.${a.warningLevel}`)}
            </span>
          </div>
          {/* Reasons are explained for warned customers only; an empty list must not read as "no risk at all". */}
          <ReasonList
            reasons={a.topReasons.slice(0, TOP_RISK_REASONS)}
            testId="card-risk-reasons"
            emptyText={a.churnProbability === null ? t('risk.noReasons') : a.warningLevel === 'none' ? t('risk.belowWarning') : t('risk.noSingleReason')}
          />
        </div>
      )}
    </>
  );
}
