// The supervisor's and admin's pages: the retention review and the models in production.
import { useTranslation } from 'react-i18next';

export const OVERSIGHT_PAGES = ['retention', 'models'] as const;
export type OversightPage = (typeof OVERSIGHT_PAGES)[number];

export function OversightTabs({ page, onShow }: { page: OversightPage; onShow: (page: OversightPage) => void }) {
  const { t } = useTranslation();
  return (
    <div className="agent-tabs oversight-tabs" role="tablist">
      {OVERSIGHT_PAGES.map((name) => (
        <button key={name} type="button" role="tab" data-testid={`page-${name}`} aria-selected={page === name} onClick={() => onShow(name)}>
          {t(`models.page.${name}`)}
        </button>
      ))}
    </div>
  );
}
