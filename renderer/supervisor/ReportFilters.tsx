// Period (both days included) and team of the reports. A period that ends before it starts is
// refused here, in words; while the figures below are not those of the chosen period (not applied
// yet, still loading, or the load failed), a note says which period they are.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportQuery } from '../../shared/contract/supervisor-reports';
import { useFormatters } from '../format/use-formatters';

/** The period and team of the figures on screen, as the report states them. */
export interface ShownPeriod {
  from: string;
  to: string;
  team: string | null;
}

export function ReportFilters({
  query,
  shown,
  current,
  teams,
  ledTeam,
  loading,
  onApply,
}: {
  query: ReportQuery;
  /** What the figures on screen cover; null before the first report. */
  shown: ShownPeriod | null;
  /** False while the figures on screen are not the applied query's (loading, or the load failed). */
  current: boolean;
  teams: readonly string[];
  /** The team a supervisor leads: the only one their reports can cover, so "all teams" is not offered. */
  ledTeam: string | null;
  loading: boolean;
  onApply: (query: ReportQuery) => void;
}) {
  const { t } = useTranslation();
  const f = useFormatters();
  const [from, setFrom] = useState(query.from);
  const [to, setTo] = useState(query.to);
  const [team, setTeam] = useState(query.team ?? ledTeam ?? '');
  const [refused, setRefused] = useState(false);
  const reversed = from !== '' && to !== '' && to < from;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reversed) {
      setRefused(true);
      return;
    }
    onApply({ from, to, ...(team === '' ? {} : { team }) });
  };
  const edit = (apply: () => void) => {
    apply();
    setRefused(false);
  };

  const differs = shown !== null && (shown.from !== from || shown.to !== to || (shown.team ?? '') !== team);
  const stale = shown !== null && (differs || !current);

  return (
    <form className="report-filters" onSubmit={submit} data-testid="report-filters" noValidate>
      <label>
        {t('report.from')}
        <input
          type="date"
          data-testid="report-from"
          value={from}
          required
          aria-invalid={refused && reversed}
          onChange={(e) => edit(() => setFrom(e.target.value))}
        />
      </label>
      <label>
        {t('report.to')}
        <input type="date" data-testid="report-to" value={to} required aria-invalid={refused && reversed} onChange={(e) => edit(() => setTo(e.target.value))} />
      </label>
      <label>
        {t('report.team')}
        <select data-testid="report-team" value={team} onChange={(e) => edit(() => setTeam(e.target.value))}>
          {ledTeam === null && <option value="">{t('report.allTeams')}</option>}
          {teams.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary" data-testid="report-apply" disabled={loading}>
        {loading ? t('report.loading') : t('report.apply')}
      </button>
      {refused && reversed && (
        <p className="error-text" role="alert" data-testid="report-period-invalid">
          {t('report.periodReversed', { from: f.isoDate(from), to: f.isoDate(to) })}
        </p>
      )}
      {stale && (
        <p className="stale-note" role="status" data-testid="report-stale">
          {t('report.stale', { from: f.isoDate(shown.from), to: f.isoDate(shown.to), team: shown.team ?? t('report.allTeams') })}
        </p>
      )}
    </form>
  );
}
