// What each KPI tile is made of, as a filter on the outcome table: clicking a tile shows the rows
// behind it. The definitions follow the server's (server/reports/scoped-outcomes.ts).
import { DAY_MS } from '../../shared/domain/operator-time';
import { SAVE_RATE_MIN_DAYS, WARNED_LEVELS, type OutcomeReportRow, type RetentionKpis } from '../../shared/contract/supervisor-reports';

/** KPIs counted from outcomes; the average handle time comes from call records, which the table does not hold. */
export const DRILLABLE_KPIS = [
  'atRiskContacted',
  'saveRate',
  'presentationRate',
  'acceptanceRate',
  'retainedRevenue',
] as const satisfies readonly (keyof RetentionKpis)[];
export type DrillableKpi = (typeof DRILLABLE_KPIS)[number];

const warned = (row: OutcomeReportRow) => row.warningLevel !== null && (WARNED_LEVELS as readonly string[]).includes(row.warningLevel);

/** The rows behind a KPI; `reportAt` is when the report was made (the save rate counts contacts old enough to know their fate). */
export function kpiRows(kpi: DrillableKpi, reportAt: string): (row: OutcomeReportRow) => boolean {
  switch (kpi) {
    case 'atRiskContacted':
      return warned;
    case 'saveRate': {
      const fateKnownBefore = Date.parse(reportAt) - SAVE_RATE_MIN_DAYS * DAY_MS;
      return (row) => warned(row) && Date.parse(row.recordedAt) <= fateKnownBefore;
    }
    case 'presentationRate':
      return (row) => row.result === 'accepted' || row.result === 'declined' || row.result === 'callback';
    case 'acceptanceRate':
      return (row) => row.result === 'accepted' || row.result === 'declined';
    case 'retainedRevenue':
      return (row) => row.retainedRevenue > 0;
  }
}
