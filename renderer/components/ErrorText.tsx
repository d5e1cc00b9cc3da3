// A desk failure in the agent's language; the backend's own message stays available as a tooltip.
import { useTranslation } from 'react-i18next';
import type { DeskFailure } from '../../shared/contract/desk-api';

export function ErrorText({ failure, testId }: { failure: DeskFailure; testId?: string }) {
  const { t } = useTranslation();
  return (
    <p className="error-text" role="alert" data-testid={testId} data-code={failure.code} title={failure.message}>
      {t(`error.${failure.code}`)}
    </p>
  );
}
