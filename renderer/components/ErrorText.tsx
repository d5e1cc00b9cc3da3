// A desk failure in the agent's language; the backend's own message stays available as a tooltip.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { DeskFailure } from '../../shared/contract/desk-api';

/**
 * The failure's words. Its extras pick the variant: a host's desk limit the plural, and a cache
 * refused for a reason the agent can act on its own words (context key error.cache_unavailable_<reason>),
 * whichever operation hit the cache.
 */
export function failureText(t: TFunction, failure: DeskFailure): string {
  return t(`error.${failure.code}`, { count: failure.deskLimit, context: failure.cacheReason });
}

export function ErrorText({ failure, testId }: { failure: DeskFailure; testId?: string }) {
  const { t } = useTranslation();
  return (
    <p className="error-text" role="alert" data-testid={testId} data-code={failure.code} title={failure.message}>
      {failureText(t, failure)}
    </p>
  );
}
