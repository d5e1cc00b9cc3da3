// The eligibility rule language of the offer catalogue: a small declarative tree the operator
// writes in the catalogue files (JSON), validated here and evaluated by shared/offers. No code
// in the catalogue, so a catalogue file can never do more than compare customer facts.
import { z } from 'zod';

/** The customer facts a rule may compare (what shared/offers/eligibility-facts.ts computes). */
export const RULE_FIELDS = [
  'stage',
  'valueTier',
  'warningLevel',
  'churnProbability',
  'tenureMonths',
  'planCode',
  'monthlyFee',
  'arpu3m',
  'arpuTrend3m',
  'dataTrend3m',
  'contractDaysLeft',
  'status',
  'personalKeyCustomer',
  'complaints30d',
  'networkIssues90d',
  'marketingConsent',
  'doNotDisturb',
  /** The reason codes of the churn model's top reasons; compared with 'includes'. */
  'topReasons',
] as const;
export const RuleField = z.enum(RULE_FIELDS);
export type RuleField = z.infer<typeof RuleField>;

export const RULE_OPERATORS = ['eq', 'ne', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'is_null', 'not_null', 'includes'] as const;
export const RuleOperator = z.enum(RULE_OPERATORS);
export type RuleOperator = z.infer<typeof RuleOperator>;

const RuleScalar = z.union([z.string(), z.number(), z.boolean()]);

export const RuleComparison = z.strictObject({
  field: RuleField,
  op: RuleOperator,
  /** Absent for is_null / not_null; an array for in / not_in. */
  value: z.union([RuleScalar, z.array(RuleScalar).min(1)]).optional(),
});
export type RuleComparison = z.infer<typeof RuleComparison>;

export type EligibilityRule = { all: EligibilityRule[] } | { any: EligibilityRule[] } | { not: EligibilityRule } | RuleComparison;

export const EligibilityRule: z.ZodType<EligibilityRule> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(EligibilityRule).min(1) }),
    z.strictObject({ any: z.array(EligibilityRule).min(1) }),
    z.strictObject({ not: EligibilityRule }),
    RuleComparison,
  ]),
);
