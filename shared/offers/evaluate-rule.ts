// Evaluates a catalogue eligibility rule against a customer's facts, and checks a rule's meaning
// beyond its shape (the zod schema in shared/contract/offer-rules.ts checks the shape).
import { LIFECYCLE_STAGES, VALUE_TIERS, WARNING_LEVELS, type Reason } from '../contract/entities';
import type { EligibilityRule, RuleComparison, RuleField, RuleOperator } from '../contract/offer-rules';
import { REASON_CODES } from '../contract/reason-codes';
import type { EligibilityFacts } from './eligibility-facts';

export const ELIGIBLE_BECAUSE = 'eligible_because';

export interface RuleVerdict {
  eligible: boolean;
  /** The comparisons that made the rule hold: the offer's "why" on the card. */
  matched: Reason[];
}

type FieldSpec = { type: 'number' } | { type: 'boolean' } | { type: 'string'; values?: readonly string[] } | { type: 'reason_codes' };

const FIELD_SPECS: Record<RuleField, FieldSpec> = {
  stage: { type: 'string', values: LIFECYCLE_STAGES },
  valueTier: { type: 'string', values: VALUE_TIERS },
  warningLevel: { type: 'string', values: WARNING_LEVELS },
  churnProbability: { type: 'number' },
  tenureMonths: { type: 'number' },
  planCode: { type: 'string' },
  monthlyFee: { type: 'number' },
  arpu3m: { type: 'number' },
  arpuTrend3m: { type: 'number' },
  dataTrend3m: { type: 'number' },
  contractDaysLeft: { type: 'number' },
  status: { type: 'string', values: ['active', 'churned'] },
  personalKeyCustomer: { type: 'boolean' },
  complaints30d: { type: 'number' },
  networkIssues90d: { type: 'number' },
  marketingConsent: { type: 'boolean' },
  doNotDisturb: { type: 'boolean' },
  topReasons: { type: 'reason_codes' },
};

/** How a comparison reads when it holds under a `not` (De Morgan), for the "why" reason. */
const NEGATED_OPERATOR: Record<RuleOperator, string> = {
  eq: 'ne',
  ne: 'eq',
  in: 'not_in',
  not_in: 'in',
  gt: 'lte',
  gte: 'lt',
  lt: 'gte',
  lte: 'gt',
  is_null: 'not_null',
  not_null: 'is_null',
  includes: 'excludes',
};

type Fact = EligibilityFacts[RuleField];

/**
 * An unknown (null) fact fails every comparison but is_null: an unscored customer is not offered
 * what only a known tier or risk would justify.
 */
function compare(actual: Fact, { op, value }: RuleComparison): boolean {
  if (op === 'is_null') return actual === null;
  if (actual === null) return false;
  switch (op) {
    case 'not_null':
      return true;
    case 'eq':
      return actual === value;
    case 'ne':
      return actual !== value;
    case 'in':
      return Array.isArray(value) && value.includes(actual as string | number | boolean);
    case 'not_in':
      return Array.isArray(value) && !value.includes(actual as string | number | boolean);
    case 'includes':
      return Array.isArray(actual) && typeof value === 'string' && actual.includes(value);
    default:
      if (typeof actual !== 'number' || typeof value !== 'number') return false;
      if (op === 'gt') return actual > value;
      if (op === 'gte') return actual >= value;
      if (op === 'lt') return actual < value;
      return actual <= value;
  }
}

const asParam = (value: unknown): string | number => (typeof value === 'number' ? value : Array.isArray(value) ? value.join(', ') : String(value));

const INELIGIBLE: RuleVerdict = Object.freeze({ eligible: false, matched: [] }) as RuleVerdict;

type CompiledRule = (facts: EligibilityFacts) => RuleVerdict;

/** A comparison that holds explains itself with the fact it read (its field, operator and value are the rule's). */
function compileComparison(comparison: RuleComparison, negated: boolean): CompiledRule {
  const { field } = comparison;
  const op = negated ? NEGATED_OPERATOR[comparison.op] : comparison.op;
  const value = comparison.value === undefined ? undefined : asParam(comparison.value);
  return (facts) => {
    const actual = facts[field];
    if (compare(actual, comparison) === negated) return INELIGIBLE;
    const params: Reason['params'] = { field, op };
    if (value !== undefined) params['value'] = value;
    if (actual !== null && !Array.isArray(actual)) params['actual'] = asParam(actual);
    return { eligible: true, matched: [{ code: ELIGIBLE_BECAUSE, params }] };
  };
}

function compile(rule: EligibilityRule, negated: boolean): CompiledRule {
  if ('not' in rule) return compile(rule.not, !negated);
  // not(all) = any(not …) and not(any) = all(not …).
  const conjunction = 'all' in rule ? !negated : 'any' in rule ? negated : null;
  if (conjunction === null) return compileComparison(rule as RuleComparison, negated);
  const children = ('all' in rule ? rule.all : (rule as { any: EligibilityRule[] }).any).map((child) => compile(child, negated));
  if (conjunction)
    return (facts) => {
      const matched: Reason[] = [];
      for (const child of children) {
        const verdict = child(facts);
        if (!verdict.eligible) return INELIGIBLE;
        matched.push(...verdict.matched);
      }
      return { eligible: true, matched };
    };
  return (facts) => {
    for (const child of children) {
      const verdict = child(facts);
      if (verdict.eligible) return verdict;
    }
    return INELIGIBLE;
  };
}

/**
 * Each rule is compiled once (the rule tree walked, negations pushed down, the "why" of each
 * comparison prepared) and kept while its catalogue is: every card evaluates every offer's rule.
 * Keyed by the rule object, so a new catalogue compiles anew and the old one is collected.
 */
const compiledRules = new WeakMap<EligibilityRule, CompiledRule>();

export function evaluateRule(rule: EligibilityRule, facts: EligibilityFacts): RuleVerdict {
  let compiled = compiledRules.get(rule);
  if (compiled === undefined) {
    compiled = compile(rule, false);
    compiledRules.set(rule, compiled);
  }
  return compiled(facts);
}

export interface RuleProblem {
  path: (string | number)[];
  message: string;
}

const NUMERIC_OPERATORS: readonly RuleOperator[] = ['gt', 'gte', 'lt', 'lte'];
const LIST_OPERATORS: readonly RuleOperator[] = ['in', 'not_in'];
const NULL_OPERATORS: readonly RuleOperator[] = ['is_null', 'not_null'];

function comparisonProblems({ field, op, value }: RuleComparison): { message: string; onValue: boolean }[] {
  const spec = FIELD_SPECS[field];
  const problems: { message: string; onValue: boolean }[] = [];
  const problem = (message: string, onValue = false) => problems.push({ message, onValue });

  if (NULL_OPERATORS.includes(op)) {
    if (value !== undefined) problem(`'${op}' takes no value`, true);
    if (spec.type === 'reason_codes') problem(`'${field}' is a list and never null; use 'includes'`);
    return problems;
  }
  if (value === undefined) return [{ message: `'${op}' needs a value`, onValue: true }];
  if (spec.type === 'reason_codes' && op !== 'includes')
    return [{ message: `'${field}' is a list of reason codes: compare it with 'includes'`, onValue: false }];
  if (op === 'includes' && spec.type !== 'reason_codes') return [{ message: `'includes' applies only to topReasons, not '${field}'`, onValue: false }];
  if (NUMERIC_OPERATORS.includes(op) && spec.type !== 'number') problem(`'${op}' compares numbers, but '${field}' is not numeric`);
  if (LIST_OPERATORS.includes(op) !== Array.isArray(value)) {
    problem(LIST_OPERATORS.includes(op) ? `'${op}' needs an array of values` : `'${op}' needs a single value, not an array`, true);
    return problems;
  }

  const expected = spec.type === 'reason_codes' ? 'string' : spec.type;
  const allowed: readonly string[] | undefined = spec.type === 'reason_codes' ? REASON_CODES : spec.type === 'string' ? spec.values : undefined;
  for (const item of Array.isArray(value) ? value : [value]) {
    if (typeof item !== expected) problem(`'${field}' is compared with ${expected} values, got ${JSON.stringify(item)}`, true);
    else if (allowed !== undefined && !allowed.includes(item as string))
      problem(`${JSON.stringify(item)} is not a known ${field} value (known: ${allowed.join(', ')})`, true);
  }
  return problems;
}

/** Meaning checks on a rule that already has the schema's shape; [] when it is sound. */
export function validateRule(rule: EligibilityRule, path: (string | number)[] = []): RuleProblem[] {
  if ('not' in rule) return validateRule(rule.not, [...path, 'not']);
  if ('all' in rule) return rule.all.flatMap((child, i) => validateRule(child, [...path, 'all', i]));
  if ('any' in rule) return rule.any.flatMap((child, i) => validateRule(child, [...path, 'any', i]));
  return comparisonProblems(rule).map(({ message, onValue }) => ({ path: onValue ? [...path, 'value'] : path, message }));
}
