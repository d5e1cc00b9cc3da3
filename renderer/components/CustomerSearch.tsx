// Store counter: find the customer in front of you by phone, ID number or name. Arrow keys move
// through the matches, Enter opens one.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LOOKUP_SHORTCUT } from '../keyboard/shortcuts';
import { FOCUS_TARGET } from '../keyboard/use-desk-shortcuts';
import { useListKeyboard } from '../keyboard/use-list-keyboard';
import { useDesk, useDeskActions } from '../state/store-context';
import { ErrorText } from './ErrorText';
import { SEARCH_RESULTS_ID, SearchResultList, searchMatchId } from './SearchResultList';

export function CustomerSearch() {
  const { t } = useTranslation();
  const search = useDesk((s) => s.search);
  const { searchCustomers, openCustomer } = useDeskActions();
  const [query, setQuery] = useState('');
  // The matches fold away once one is opened, so the card has the screen.
  const [resultsOpen, setResultsOpen] = useState(false);
  const open = (index: number) => {
    const match = search.matches[index];
    if (match === undefined) return;
    setResultsOpen(false);
    void openCustomer(match.customerId, 'search');
  };
  const list = useListKeyboard(search.matches.length, open);
  // Enter searches while the query differs from the one shown; on the results it opens the highlighted match.
  const showsResultsFor = resultsOpen && search.status === 'done' && search.query === query.trim();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    list.setHighlighted(0);
    setResultsOpen(true);
    void searchCustomers(query);
  };

  return (
    <div className="customer-search">
      <form className="lookup" role="search" onSubmit={submit}>
        <label htmlFor={FOCUS_TARGET.lookup}>{t('search.label')}</label>
        <input
          id={FOCUS_TARGET.lookup}
          data-testid="search-input"
          autoComplete="off"
          maxLength={64}
          placeholder={t('search.placeholder')}
          title={LOOKUP_SHORTCUT}
          value={query}
          role="combobox"
          aria-expanded={showsResultsFor && search.matches.length > 0}
          aria-controls={SEARCH_RESULTS_ID}
          aria-activedescendant={showsResultsFor && list.highlighted >= 0 ? searchMatchId(list.highlighted) : undefined}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (showsResultsFor || e.key !== 'Enter') list.onKeyDown(e);
          }}
        />
        <button data-testid="search-submit" type="submit" disabled={search.status === 'loading' || query.trim() === ''}>
          {t('search.submit')}
        </button>
      </form>
      {search.status === 'failed' && search.error !== null && <ErrorText failure={search.error} testId="search-error" />}
      {resultsOpen && search.status === 'done' && search.matches.length === 0 && (
        <p className="hint" data-testid="search-empty">
          {t('search.none')}
        </p>
      )}
      {showsResultsFor && search.matches.length > 0 && (
        <SearchResultList matches={search.matches} truncated={search.truncated} highlighted={list.highlighted} onOpen={open} />
      )}
    </div>
  );
}
