// The store counter's matches: how many, then one aligned row per customer under column headings
// (name, number, ID, plan, status, what matched), as wide as the counter bar. Every row has the
// same columns whatever its content, so an ex-customer's row lines up with the others.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchMatch } from '../../shared/contract/desk-api';
import { useLanguage } from '../format/use-formatters';
import { contentLanguage } from '../i18n/languages';

export const SEARCH_RESULTS_ID = 'search-results';
export const searchMatchId = (index: number) => `search-match-${index}`;

const COLUMNS = ['name', 'phone', 'idNumber', 'plan', 'status', 'matchedOn'] as const;

export function SearchResultList({
  matches,
  truncated,
  highlighted,
  onOpen,
}: {
  matches: readonly SearchMatch[];
  truncated: boolean;
  highlighted: number;
  onOpen: (index: number) => void;
}) {
  const { t } = useTranslation();
  const lang = contentLanguage(useLanguage());
  const list = useRef<HTMLUListElement>(null);
  // The arrow keys walk the list from the search box: keep the highlighted row in sight.
  useEffect(() => {
    const row = list.current?.children[highlighted];
    // jsdom has no layout, so no scrollIntoView.
    if (row instanceof HTMLElement && typeof row.scrollIntoView === 'function') row.scrollIntoView({ block: 'nearest' });
  }, [highlighted]);
  return (
    <div className="search-panel" data-testid="search-panel">
      <p className="search-count" data-testid="search-count" data-count={matches.length} data-truncated={truncated} role="status">
        {truncated ? t('search.truncated', { count: matches.length }) : t('search.count', { count: matches.length })}
      </p>
      {/* One scroll area for the headings and the rows, so both have the same width and columns. */}
      <div className="search-scroll">
        <div className="search-row search-columns" aria-hidden="true">
          {COLUMNS.map((column) => (
            <span key={column}>{t(`search.column.${column}`)}</span>
          ))}
        </div>
        <ul ref={list} id={SEARCH_RESULTS_ID} className="search-results" role="listbox" aria-label={t('search.label')} data-testid="search-results">
          {matches.map((m, i) => (
            <li
              key={m.customerId}
              id={searchMatchId(i)}
              className="search-row"
              role="option"
              aria-selected={i === highlighted}
              data-testid="search-match"
              data-customer-id={m.customerId}
              onClick={() => onOpen(i)}
            >
              <span className="match-name" title={m.name}>
                {m.name}
              </span>
              <span className="match-phone">{m.phoneMasked}</span>
              <span className="match-id">{m.idNumberMasked}</span>
              <span className="match-plan" title={m.planName[lang]}>
                {m.planName[lang]}
              </span>
              <span className="match-status">
                <span className={`status status-${m.status}`}>{t(`status.${m.status}`)}</span>
              </span>
              <span className="matched-on">{t(`search.matchedOn.${m.matchedOn}`)}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
