// One customer's expected uplift from each programme's model, as arbitration reads it: the card
// builder hands the customer's churn-model features to every compiled uplift model it was given.
import type { Customer } from '../../contract/entities';
import type { ProgrammeUplift } from '../../offers/arbitrate';
import { CUSTOMER_FEATURE_COLUMNS, customerFeatureRow } from '../customer-features';
import type { CustomerSignals } from '../customer-signals';
import type { CompiledUpliftModel } from './uplift-model';

export function customerUplift(models: readonly CompiledUpliftModel[], customer: Customer, signals: CustomerSignals): Map<string, ProgrammeUplift> {
  // No programme has a model yet (the usual case): the screen pop builds no feature row for nothing.
  if (models.length === 0) return new Map();
  const cells = new Map<string, string>();
  customerFeatureRow(customer, signals).forEach((cell, j) => cells.set(CUSTOMER_FEATURE_COLUMNS[j] as string, cell));
  return new Map(
    models.map((model) => {
      // A column the model knows and the row lacks is read as missing.
      const row = model.featureColumns.map((name) => cells.get(name) ?? '');
      return [model.programmeId, { uplift: model.uplift([row])[0] as number, harmThreshold: model.harmThreshold }];
    }),
  );
}
