// One customer's full assessment from the model's churn estimate and the operator's configs:
// value (CLV, RFM, tier, key customer) and lifecycle stage with reasons. The server's batch
// scoring and the desk's re-scoring both call this, so the two can never disagree.
import type { Customer, CustomerScore, Reason, WarningLevel } from '../contract/entities';
import type { CustomerSignals } from './customer-signals';
import type { LifecycleConfig } from './lifecycle/lifecycle-config';
import { decideLifecycleStage } from './lifecycle/lifecycle-stage';
import { materialRiskReasons } from './material-reasons';
import { rfmScore, valueTierFor, type BookCalibration, type ValueInputs } from './value/book-calibration';
import { lifetimeValue, monthlyRate, monthlyRetentionFromAnnualChurn } from './value/lifetime-value';
import type { ValueConfig } from './value/value-config';
import { roundProbability } from '../domain/probability';

export type Assessment = Omit<CustomerScore, 'customerId' | 'version' | 'scoredAt'>;

export interface ChurnEstimate {
  /** Probability of leaving within the model's horizon (12 months for the book's own model). */
  probability: number;
  warningLevel: WarningLevel;
  /** The model's attributions, largest first. */
  reasons: readonly Reason[];
}

export interface AnalyticsSettings {
  modelId: string;
  lifecycle: LifecycleConfig;
  value: ValueConfig;
  calibration: BookCalibration;
}

export const TOP_RISK_REASONS = 3;

/** Joins the model id, lifecycle version and value version into a score's modelVersion (keptModelId splits it). */
export const MODEL_VERSION_SEPARATOR = ' · ';

export function customerLifetimeValue(customer: Customer, signals: CustomerSignals, churnProbability: number, config: ValueConfig): number {
  if (customer.status === 'churned') return 0;
  const margin = signals.arpu3m * config.marginRate;
  const retention = monthlyRetentionFromAnnualChurn(churnProbability);
  return Math.round(lifetimeValue(margin, retention, monthlyRate(config.annualDiscountRate), config.horizonMonths) * 100) / 100;
}

/** What the book calibration is fitted on, for one customer. */
export function valueInputs(customer: Customer, signals: CustomerSignals, churnProbability: number, config: ValueConfig): ValueInputs {
  return {
    monthsSinceLastUse: signals.monthsSinceLastUse,
    monthlyActivity: signals.monthlyActivity,
    arpu12m: signals.arpu12m,
    clv: customerLifetimeValue(customer, signals, churnProbability, config),
  };
}

export function assessCustomerWithModel(customer: Customer, signals: CustomerSignals, churn: ChurnEstimate, settings: AnalyticsSettings): Assessment {
  const churned = customer.status === 'churned';
  const probability = churned ? 1 : churn.probability;
  const inputs = valueInputs(customer, signals, probability, settings.value);
  const valueTier = valueTierFor(inputs.clv, settings.calibration);
  const key = settings.value.keyCustomer;
  const stage = decideLifecycleStage(customer, signals, churned ? null : probability, settings.lifecycle);
  return {
    modelVersion: [settings.modelId, settings.lifecycle.version, settings.value.version].join(MODEL_VERSION_SEPARATOR),
    stage: stage.stage,
    stageReasons: stage.reasons,
    valueTier,
    clv: inputs.clv,
    arpu3m: signals.arpu3m,
    rfm: churned ? null : rfmScore(inputs, settings.calibration),
    personalKeyCustomer: !churned && valueTier === 'platinum' && signals.tenureMonths >= key.minTenureMonths && signals.arpu3m >= key.minArpu3m,
    churnProbability: roundProbability(probability),
    warningLevel: churned ? 'none' : churn.warningLevel,
    topReasons: churned ? [] : materialRiskReasons(churn.reasons, probability, TOP_RISK_REASONS),
  };
}
