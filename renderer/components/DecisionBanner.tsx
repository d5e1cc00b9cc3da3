// What the card recommends doing with this customer, and why (retain only where it pays).
import { useTranslation } from 'react-i18next';
import type { CustomerCard } from '../../shared/contract/desk-api';
import { ReasonList } from './ReasonList';

export function DecisionBanner({ decision }: { decision: CustomerCard['decision'] }) {
  const { t } = useTranslation();
  return (
    <div className={`decision-banner decision-${decision.kind}`} data-testid="decision" data-kind={decision.kind} role="note">
      <strong className="decision-kind">{t(`decision.${decision.kind}`)}</strong>
      <ReasonList reasons={decision.reasons} testId="decision-reasons" />
    </div>
  );
}
