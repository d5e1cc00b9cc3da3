// Offers the customer qualified for but the contact policy held back (cool-down, consent, DND).
import { useTranslation } from 'react-i18next';
import type { CustomerCard } from '../../shared/contract/desk-api';
import { reasonText } from '../format/reason-text';
import { useFormatters, useLanguage } from '../format/use-formatters';
import { contentLanguage } from '../i18n/languages';

export function SuppressedOffers({ suppressed }: { suppressed: CustomerCard['suppressed'] }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const lang = contentLanguage(useLanguage());
  if (suppressed.length === 0) return null;
  return (
    <details className="panel suppressed" data-testid="offers-suppressed">
      <summary>{t('offer.suppressed', { count: suppressed.length })}</summary>
      <ul>
        {suppressed.map((s) => (
          <li key={s.offerId} data-offer-id={s.offerId}>
            <span className="offer-name">{s.name[lang]}</span>
            <span className="suppressed-reason">{reasonText(s.reason, t, f)}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
