import { useTranslation } from 'react-i18next';
import type { Reason } from '../../shared/contract/entities';
import { reasonText } from '../format/reason-text';
import { useFormatters } from '../format/use-formatters';

export function ReasonList({ reasons, testId, emptyText }: { reasons: readonly Reason[]; testId?: string; emptyText?: string }) {
  const { t } = useTranslation();
  const f = useFormatters();
  if (reasons.length === 0) {
    return emptyText === undefined ? null : (
      <p className="reasons empty" data-testid={testId}>
        {emptyText}
      </p>
    );
  }
  return (
    <ul className="reasons" data-testid={testId}>
      {reasons.map((reason, i) => (
        <li key={`${reason.code}-${i}`}>{reasonText(reason, t, f)}</li>
      ))}
    </ul>
  );
}
