// The churn model's view of a customer record: one row of named feature cells, the same on
// the server (training, batch scoring) and on the desk (re-scoring during a call). Feature
// names are reason codes where one exists, so an attribution reads as a domain reason.
import type { Customer, Reason } from '../contract/entities';
import type { CustomerSignals } from './customer-signals';
import type { StringRows } from './dataset/csv-table';
import { FEATURE_CONTRIBUTION } from './score-rows';

export const CHURN_TARGET_COLUMN = 'churned';
export const CHURN_POSITIVE = 'yes';

export const CUSTOMER_FEATURE_COLUMNS = [
  'customer_id',
  'tenure_months',
  'monthly_fee',
  'arpu_3m',
  'arpu_trend_3m',
  'arpu_trend_6m',
  'usage_trend_3m',
  'voice_trend_3m',
  'complaints_30d',
  'complaints_90d',
  'network_issues_90d',
  'contract_days_left',
  'plan_code',
  'marketing_consent',
] as const;

export function customerFeatureRow(customer: Customer, s: CustomerSignals): string[] {
  return [
    customer.id,
    String(s.tenureMonths),
    String(customer.monthlyFee),
    String(s.arpu3m),
    String(s.arpuTrend3m),
    String(s.arpuTrend6m),
    String(s.dataTrend3m),
    String(s.voiceTrend3m),
    String(customer.complaints30d),
    String(customer.complaints90d),
    String(customer.networkIssues90d),
    // Blank = no contract: the model learns "no contract" from the missing indicator.
    s.contractDaysLeft === null ? '' : String(s.contractDaysLeft),
    customer.planCode,
    customer.marketingConsent ? 'yes' : 'no',
  ];
}

/** Header plus one row per customer, for scoring. */
export function customerFeatureRows(items: readonly { customer: Customer; signals: CustomerSignals }[]): StringRows {
  return [[...CUSTOMER_FEATURE_COLUMNS], ...items.map(({ customer, signals }) => customerFeatureRow(customer, signals))];
}

/** Header plus rows with the churned label, for training on the operator's own history. */
export function customerTrainingRows(items: readonly { customer: Customer; signals: CustomerSignals }[]): StringRows {
  return [
    [...CUSTOMER_FEATURE_COLUMNS, CHURN_TARGET_COLUMN],
    ...items.map(({ customer, signals }) => [...customerFeatureRow(customer, signals), customer.status === 'churned' ? CHURN_POSITIVE : 'no']),
  ];
}

const numberParam = (value: string | number | undefined) => (typeof value === 'number' ? value : Number(value));

/**
 * A model attribution ("feature X raised the risk") as the domain reason an agent recognizes,
 * where the feature maps to one; other features keep the generic feature_contribution reason.
 */
export function churnReasonFromAttribution(reason: Reason): Reason {
  if (reason.code !== FEATURE_CONTRIBUTION) return reason;
  const { feature, value } = reason.params;
  switch (feature) {
    case 'complaints_30d':
    case 'complaints_90d':
      return { code: feature, params: { count: numberParam(value) } };
    case 'network_issues_90d':
      return { code: 'network_issues_90d', params: { count: numberParam(value) } };
    case 'arpu_trend_3m':
    case 'arpu_trend_6m':
    case 'usage_trend_3m':
    case 'voice_trend_3m':
      return { code: feature, params: { pct: numberParam(value) } };
    case 'contract_days_left':
      if (value === '') return { code: 'no_contract', params: {} };
      return numberParam(value) < 0
        ? { code: 'contract_ended_days_ago', params: { days: -numberParam(value) } }
        : { code: 'contract_ends_in_days', params: { days: numberParam(value) } };
    case 'tenure_months':
      return { code: 'tenure_months', params: { months: numberParam(value) } };
    // Money in yuan, shown as money ("Spends ¥9.43 a month"), not "ARPU (3 months) = 9.43".
    case 'arpu_3m':
      return { code: 'arpu_3m', params: { arpu: numberParam(value) } };
    case 'monthly_fee':
      return { code: 'monthly_fee', params: { yuan: numberParam(value) } };
    // The card says the fact ("no marketing consent"), as the contact policy does, not "consent = no".
    case 'marketing_consent':
      return value === 'no' ? { code: 'no_marketing_consent', params: {} } : reason;
    default:
      return reason;
  }
}
