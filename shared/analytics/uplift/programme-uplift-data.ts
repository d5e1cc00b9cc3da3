// A programme's randomised data as the uplift model reads it, from its recorded assignments
// (programme_assignments: customer, group, when assigned; customers an ethical limit protected are
// left out by the caller, as in the programme report): the customer's churn-model features as of
// the assignment and whether they left within the window after it. Only customers whose window has
// passed count, so a recent assignment is not taken for a stayer.
import type { Customer } from '../../contract/entities';
import type { ProgrammeArm } from '../../contract/retention-programmes';
import { DAY_MS, operatorDateDaysBefore } from '../../domain/operator-time';
import { CUSTOMER_FEATURE_COLUMNS, customerFeatureRow } from '../customer-features';
import { customerSignals } from '../customer-signals';
import { fitUpliftModel, type UpliftExample, type UpliftModel } from './uplift-model';

export interface ProgrammeAssignment {
  customer: Customer;
  arm: ProgrammeArm;
  assignedAt: Date;
}

export function programmeUpliftExamples(assignments: readonly ProgrammeAssignment[], windowDays: number, now: Date): UpliftExample[] {
  return assignments.flatMap(({ customer, arm, assignedAt }) => {
    const windowEnd = new Date(assignedAt.getTime() + windowDays * DAY_MS);
    if (windowEnd > now) return [];
    // The operator day the window ends on, as the programme report counts a leaver.
    const churned = customer.churnDate !== null && customer.churnDate <= operatorDateDaysBefore(windowEnd);
    return [{ features: customerFeatureRow(customer, customerSignals(customer, assignedAt)), arm, churned }];
  });
}

/** A programme's uplift model on the churn model's features; null until it has enough data (arbitration keeps today's rule). */
export function fitCustomerUplift(programmeId: string, examples: readonly UpliftExample[], windowDays: number): UpliftModel | null {
  return fitUpliftModel(examples, { programmeId, windowDays, featureColumns: CUSTOMER_FEATURE_COLUMNS, idColumn: 'customer_id' });
}
