// The customer facts an eligibility rule compares (RULE_FIELDS), read off the customer row, its
// behaviour signals and the card's assessment. A prospect caller has stage 'prospect' and null
// customer facts; an unscored customer has null value tier and churn probability.
import type { CustomerSignals } from '../analytics/customer-signals';
import type { CustomerCard } from '../contract/desk-api';
import type { Customer, LifecycleStage, ValueTier, WarningLevel } from '../contract/entities';
import type { RuleField } from '../contract/offer-rules';

export type CardAssessment = CustomerCard['assessment'];

export interface EligibilityFacts {
  stage: LifecycleStage;
  valueTier: ValueTier | null;
  warningLevel: WarningLevel;
  churnProbability: number | null;
  tenureMonths: number | null;
  planCode: string | null;
  monthlyFee: number | null;
  arpu3m: number | null;
  arpuTrend3m: number | null;
  dataTrend3m: number | null;
  contractDaysLeft: number | null;
  status: Customer['status'] | null;
  personalKeyCustomer: boolean;
  complaints30d: number | null;
  networkIssues90d: number | null;
  marketingConsent: boolean | null;
  doNotDisturb: boolean | null;
  /** The reason codes of the churn model's top reasons. */
  topReasons: readonly string[];
}

type Subset<A extends B, B> = A;
/** Fails to compile when the facts and RULE_FIELDS drift apart. */
export type FactsCoverRuleFields = [Subset<keyof EligibilityFacts, RuleField>, Subset<RuleField, keyof EligibilityFacts>];

export interface KnownSubject {
  customer: Customer;
  signals: CustomerSignals;
}

/** `subject` is null for a prospect caller (no customer row). */
export function eligibilityFacts(subject: KnownSubject | null, assessment: CardAssessment): EligibilityFacts {
  const customer = subject?.customer ?? null;
  const signals = subject?.signals ?? null;
  return {
    stage: assessment.stage,
    valueTier: assessment.valueTier,
    warningLevel: assessment.warningLevel,
    churnProbability: assessment.churnProbability,
    tenureMonths: signals?.tenureMonths ?? null,
    planCode: customer?.planCode ?? null,
    monthlyFee: customer?.monthlyFee ?? null,
    arpu3m: assessment.arpu3m,
    arpuTrend3m: signals?.arpuTrend3m ?? null,
    dataTrend3m: signals?.dataTrend3m ?? null,
    contractDaysLeft: signals?.contractDaysLeft ?? null,
    status: customer?.status ?? null,
    personalKeyCustomer: assessment.personalKeyCustomer,
    complaints30d: customer?.complaints30d ?? null,
    networkIssues90d: customer?.networkIssues90d ?? null,
    marketingConsent: customer?.marketingConsent ?? null,
    doNotDisturb: customer?.doNotDisturb ?? null,
    topReasons: assessment.topReasons.map((r) => r.code),
  };
}
