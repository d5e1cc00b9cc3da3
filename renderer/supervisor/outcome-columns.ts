// The supervisor's outcome table: one column list shared by the table and the exports.
import type { TFunction } from 'i18next';
import type { OutcomeReportRow } from '../../shared/contract/supervisor-reports';
import type { CodeLabels, OfferNameLookup } from '../format/code-labels';

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

type CodedColumnText = (row: OutcomeReportRow, labels: CodeLabels, offerNames: OfferNameLookup) => string;

/** Columns that hold codes, and how each becomes words. */
const CODED_COLUMNS: Partial<Record<OutcomeColumnId, CodedColumnText>> = {
  channel: (row, labels) => labels.code('channel', row.channel),
  stage: (row, labels) => labels.code('stage', row.stage),
  valueTier: (row, labels) => labels.code('valueTier', row.valueTier),
  warningLevel: (row, labels) => labels.code('warningLevel', row.warningLevel),
  segment: (row, labels) => labels.segment(row.segment),
  offerId: (row, labels, offerNames) => labels.offerIn(offerNames, row.offerId),
  offerKind: (row, labels) => labels.code('offerKind', row.offerKind),
  result: (row, labels) => labels.code('result', row.result),
  reason: (row, labels) => labels.reason(row.result, row.reason),
};

/** Whether a column holds codes (said in words by shownCell). */
export const isCodedColumn = (id: OutcomeColumnId) => Object.hasOwn(CODED_COLUMNS, id);

/**
 * A cell as a person reads it (on screen, in the text filter, in the exports): codes in words,
 * other values as they are, null when empty. No offer is said in words too: it is a fact.
 */
export function shownCell(row: OutcomeReportRow, id: OutcomeColumnId, labels: CodeLabels, offerNames: OfferNameLookup): string | number | null {
  const raw = row[id];
  const coded = CODED_COLUMNS[id];
  if (coded === undefined) return raw;
  if (raw === null && id !== 'offerId') return null;
  return coded(row, labels, offerNames);
}

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
