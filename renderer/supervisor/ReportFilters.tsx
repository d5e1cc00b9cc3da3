// Period (both days included) and team of the reports.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportQuery } from '../../shared/contract/reports';

export function ReportFilters({
  query,
  teams,
  loading,
  onApply,
}: {
  query: ReportQuery;
  teams: readonly string[];
  loading: boolean;
  onApply: (query: ReportQuery) => void;
}) {
  const { t } = useTranslation();
  const [from, setFrom] = useState(query.from);
  const [to, setTo] = useState(query.to);
  const [team, setTeam] = useState(query.team ?? '');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({ from, to, ...(team === '' ? {} : { team }) });
  };

  return (
    <form className="report-filters" onSubmit={submit} data-testid="report-filters">
      <label>
        {t('report.from')}
        <input type="date" data-testid="report-from" value={from} required onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        {t('report.to')}
        <input type="date" data-testid="report-to" value={to} required onChange={(e) => setTo(e.target.value)} />
      </label>
      <label>
        {t('report.team')}
        <select data-testid="report-team" value={team} onChange={(e) => setTeam(e.target.value)}>
          <option value="">{t('report.allTeams')}</option>
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
    </form>
  );
}
