// Every outcome of the period: sort (click a header), filter (text + result), group by offer /
// segment / agent / stage (a row per group with its count and acceptance rate), export what is
// filtered. The model is outcome-table-model.ts; the tools above and the grid are their own components.
import type { OfferNames, OutcomeReportRow } from '../../shared/contract/supervisor-reports';
import { OutcomeGrid } from './OutcomeGrid';
import { OutcomeTableTools } from './OutcomeTableTools';
import { useOutcomeTable, type TableDrill } from './outcome-table-model';

export function OutcomesTable({
  rows,
  offerNames,
  drill,
  onClearDrill,
}: {
  rows: OutcomeReportRow[];
  offerNames: OfferNames;
  drill: TableDrill | null;
  onClearDrill: () => void;
}) {
  const { table, controls, filtered, view } = useOutcomeTable(rows, offerNames, drill);
  return (
    <section className="panel outcomes-table" data-testid="outcomes-table">
      <OutcomeTableTools controls={controls} drill={drill} onClearDrill={onClearDrill} filtered={filtered} total={rows.length} offerNames={offerNames} />
      <OutcomeGrid table={table} view={view} offerNames={offerNames} />
    </section>
  );
}
