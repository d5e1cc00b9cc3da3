// The retention KPIs of the period; each rate shows the counts it is made of.
import { useTranslation } from 'react-i18next';
import type { RateWithCounts, RetentionKpis } from '../../shared/contract/reports';
import { useFormatters } from '../format/use-formatters';

function Tile({ id, label, value, detail }: { id: string; label: string; value: string; detail?: string }) {
  return (
    <div className="kpi-tile" data-testid={`kpi-${id}`}>
      <span className="kpi-label">{label}</span>
      <strong className="kpi-value" data-testid={`kpi-${id}-value`}>
        {value}
      </strong>
      {detail !== undefined && <span className="kpi-detail">{detail}</span>}
    </div>
  );
}

export function KpiTiles({ kpis }: { kpis: RetentionKpis }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const rate = (r: RateWithCounts) => (r.rate === null ? t('value.notApplicable') : f.probability(r.rate));
  const counts = (r: RateWithCounts) => t('report.kpi.counts', { numerator: f.integer(r.numerator), denominator: f.integer(r.denominator) });

  return (
    <div className="kpi-tiles" data-testid="kpi-tiles">
      <Tile id="atRiskContacted" label={t('report.kpi.atRiskContacted')} value={f.integer(kpis.atRiskContacted)} detail={t('report.kpi.contacts', { count: kpis.contacts })} />
      <Tile id="saveRate" label={t('report.kpi.saveRate')} value={rate(kpis.saveRate)} detail={counts(kpis.saveRate)} />
      <Tile id="presentationRate" label={t('report.kpi.presentationRate')} value={rate(kpis.presentationRate)} detail={counts(kpis.presentationRate)} />
      <Tile id="acceptanceRate" label={t('report.kpi.acceptanceRate')} value={rate(kpis.acceptanceRate)} detail={counts(kpis.acceptanceRate)} />
      <Tile
        id="retainedRevenue"
        label={t('report.kpi.retainedRevenue')}
        value={f.money(kpis.retainedRevenue)}
        detail={t('report.kpi.expectedMonths', { months: f.decimal(kpis.expectedMonthsKept) })}
      />
      <Tile
        id="averageHandle"
        label={t('report.kpi.averageHandle')}
        value={kpis.averageHandleSeconds === null ? t('value.notApplicable') : t('report.kpi.seconds', { seconds: f.integer(kpis.averageHandleSeconds) })}
      />
    </div>
  );
}
