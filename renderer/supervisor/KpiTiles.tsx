// The retention KPIs of the period; each rate says what it counts (numerator and base in words),
// so rates with different bases never read as contradicting each other. A tile counted from
// outcomes is a button: it filters the outcome table to the rows behind it (pressed again, it clears).
import { useTranslation } from 'react-i18next';
import { SAVE_RATE_MIN_DAYS, type RateWithCounts, type RetentionKpis } from '../../shared/contract/supervisor-reports';
import { useFormatters } from '../format/use-formatters';
import type { DrillableKpi } from './kpi-drill';

/** The tiles that show a rate with what it counts, in this order. */
const RATE_KPIS = ['saveRate', 'presentationRate', 'acceptanceRate'] as const;

interface TileProps {
  id: string;
  label: string;
  value: string;
  detail?: string;
  /** A rate's base (the rows it counts), for whoever reads the tile by machine. */
  base?: number;
  /** Present for a tile whose rows the outcome table holds. */
  drill?: { pressed: boolean; onToggle: () => void; hint: string };
}

function Tile({ id, label, value, detail, base, drill }: TileProps) {
  const content = (
    <>
      <span className="kpi-label">{label}</span>
      <strong className="kpi-value" data-testid={`kpi-${id}-value`}>
        {value}
      </strong>
      {detail !== undefined && <span className="kpi-detail">{detail}</span>}
    </>
  );
  if (drill === undefined) {
    return (
      <div className="kpi-tile" data-testid={`kpi-${id}`} data-base={base}>
        {content}
      </div>
    );
  }
  return (
    <button
      type="button"
      className="kpi-tile drillable"
      data-testid={`kpi-${id}`}
      data-base={base}
      aria-pressed={drill.pressed}
      title={drill.hint}
      onClick={drill.onToggle}
    >
      {content}
    </button>
  );
}

export function KpiTiles({ kpis, drill, onDrill }: { kpis: RetentionKpis; drill: DrillableKpi | null; onDrill: (kpi: DrillableKpi | null) => void }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const rate = (r: RateWithCounts) => (r.rate === null ? t('value.notApplicable') : f.share(r.rate));
  const base = (id: (typeof RATE_KPIS)[number]) =>
    t(`report.kpi.base.${id}`, { numerator: f.integer(kpis[id].numerator), denominator: f.integer(kpis[id].denominator), days: SAVE_RATE_MIN_DAYS });
  const drillOf = (kpi: DrillableKpi) => ({ pressed: drill === kpi, onToggle: () => onDrill(drill === kpi ? null : kpi), hint: t('report.drill.hint') });

  return (
    <div className="kpi-tiles" data-testid="kpi-tiles">
      <Tile
        id="atRiskContacted"
        label={t('report.kpi.atRiskContacted')}
        value={f.integer(kpis.atRiskContacted)}
        detail={t('report.kpi.contacts', { count: kpis.contacts })}
        drill={drillOf('atRiskContacted')}
      />
      {RATE_KPIS.map((id) => (
        <Tile key={id} id={id} label={t(`report.kpi.${id}`)} value={rate(kpis[id])} detail={base(id)} base={kpis[id].denominator} drill={drillOf(id)} />
      ))}
      <Tile
        id="retainedRevenue"
        label={t('report.kpi.retainedRevenue')}
        value={f.money(kpis.retainedRevenue)}
        detail={t('report.kpi.expectedMonths', { months: f.decimal(kpis.expectedMonthsKept) })}
        drill={drillOf('retainedRevenue')}
      />
      <Tile
        id="averageHandle"
        label={t('report.kpi.averageHandle')}
        value={kpis.averageHandleSeconds === null ? t('value.notApplicable') : t('report.kpi.seconds', { seconds: f.integer(kpis.averageHandleSeconds) })}
        detail={t('report.drill.fromCalls')}
      />
    </div>
  );
}
