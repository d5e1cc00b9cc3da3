// The supervisor's outcome table: one column list shared by the table and the exports.
import type { TFunction } from 'i18next';
import type { OutcomeReportRow } from '../../shared/contract/reports';

export type OutcomeColumnId = keyof OutcomeReportRow;

/** Shown in this order; outcomeId and customerId stay out of sight (they identify, not inform). */
export const OUTCOME_COLUMNS = [
  'recordedAt',
  'agentId',
  'team',
  'channel',
  'phoneMasked',
  'stage',
  'valueTier',
  'warningLevel',
  'segment',
  'offerId',
  'offerKind',
  'result',
  'reason',
  'expectedValue',
  'retainedRevenue',
] as const satisfies readonly OutcomeColumnId[];

export const GROUP_BY_COLUMNS = ['offerId', 'segment', 'agentId', 'stage'] as const satisfies readonly OutcomeColumnId[];
export type GroupByColumn = (typeof GROUP_BY_COLUMNS)[number];

export const columnLabel = (t: TFunction, id: OutcomeColumnId) => t(`report.col.${id}`);

/** Accepted out of presented (accepted + declined), the report's acceptance rate, for a set of rows. */
export function acceptanceOf(rows: readonly OutcomeReportRow[]): { accepted: number; presented: number; rate: number | null } {
  let accepted = 0;
  let presented = 0;
  for (const row of rows) {
    if (row.result === 'accepted') accepted += 1;
    if (row.result === 'accepted' || row.result === 'declined') presented += 1;
  }
  return { accepted, presented, rate: presented === 0 ? null : accepted / presented };
}
