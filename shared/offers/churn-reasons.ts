// What the churn model's top reasons mean for the conversation: a phrase the script can say
// ("we noticed {riskReason}") and the objections the customer is likely to raise.
import type { LocalizedText, ObjectionKind, Reason } from '../contract/entities';
import type { ReasonCode } from '../contract/reason-codes';

type Phrases = LocalizedText;

/** The numeric param, when present and passing the test. */
function param(params: Reason['params'], key: string, test: (n: number) => boolean): number | null {
  const value = params[key];
  return typeof value === 'number' && test(value) ? value : null;
}
const phrased = (n: number | null, phrases: (n: number) => Phrases): Phrases | null => (n === null ? null : phrases(n));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
// Only a fall is a risk the script can name; a rise says nothing the customer would hear as care.

const RISK_PHRASES: Partial<Record<ReasonCode, (params: Reason['params']) => Phrases | null>> = {
  arpu_trend_3m: (p) =>
    phrased(
      param(p, 'pct', (n) => n < 0),
      (n) => ({ zh: `近3个月消费下降了${-n}%`, en: `your spending is down ${-n}% over the last 3 months` }),
    ),
  arpu_trend_6m: (p) =>
    phrased(
      param(p, 'pct', (n) => n < 0),
      (n) => ({ zh: `近6个月消费下降了${-n}%`, en: `your spending is down ${-n}% over the last 6 months` }),
    ),
  usage_trend_3m: (p) =>
    phrased(
      param(p, 'pct', (n) => n < 0),
      (n) => ({ zh: `近3个月流量使用减少了${-n}%`, en: `your data use is down ${-n}% over the last 3 months` }),
    ),
  voice_trend_3m: (p) =>
    phrased(
      param(p, 'pct', (n) => n < 0),
      (n) => ({ zh: `近3个月通话减少了${-n}%`, en: `your calls are down ${-n}% over the last 3 months` }),
    ),
  complaints_30d: (p) =>
    phrased(
      param(p, 'count', (n) => n > 0),
      (n) => complaintsPhrase(n, 30),
    ),
  complaints_90d: (p) =>
    phrased(
      param(p, 'count', (n) => n > 0),
      (n) => complaintsPhrase(n, 90),
    ),
  network_issues_90d: (p) =>
    phrased(
      param(p, 'count', (n) => n > 0),
      networkPhrase,
    ),
  contract_ends_in_days: (p) =>
    phrased(
      param(p, 'days', (n) => n >= 0),
      (n) => ({ zh: `您的合约将在${n}天后到期`, en: `your contract ends in ${n} days` }),
    ),
  contract_ended_days_ago: (p) =>
    phrased(
      param(p, 'days', (n) => n >= 0),
      (n) => ({ zh: `您的合约已到期${n}天`, en: `your contract ended ${n} days ago` }),
    ),
  no_contract: () => ({ zh: '您目前没有签订合约', en: 'you are not on a contract' }),
  tenure_months: (p) =>
    phrased(
      param(p, 'months', (n) => n >= 0),
      (n) => ({ zh: `您入网${n}个月`, en: `you joined us ${plural(n, 'month')} ago` }),
    ),
};

const complaintsPhrase = (count: number, days: 30 | 90): Phrases => ({
  zh: `近${days}天您反映过${count}次问题`,
  en: `you raised ${plural(count, 'complaint')} in the last ${days} days`,
});
const networkPhrase = (count: number): Phrases => ({
  zh: `近90天您遇到过${count}次网络问题`,
  en: `you had ${plural(count, 'network problem')} in the last 90 days`,
});

/** The customer's recent network faults in words, or null when there were none. */
export function networkProblemPhrases(networkIssues90d: number): Phrases | null {
  return networkIssues90d > 0 ? networkPhrase(networkIssues90d) : null;
}

/**
 * Something the operator should apologise for, from the customer's own record (complaints first,
 * then network faults), or null: then a script has nothing to apologise for and does not.
 */
export function grievancePhrases(counts: { complaints30d: number; complaints90d: number; networkIssues90d: number }): Phrases | null {
  if (counts.complaints30d > 0) return complaintsPhrase(counts.complaints30d, 30);
  if (counts.complaints90d > 0) return complaintsPhrase(counts.complaints90d, 90);
  return networkProblemPhrases(counts.networkIssues90d);
}

/** A tenure with its unit. */
export function tenurePhrases(months: number): Phrases {
  return { zh: `${months}个月`, en: plural(months, 'month') };
}

/** The first top reason the script can put into words, or null (the template's neutral wording). */
export function riskReasonPhrases(topReasons: readonly Reason[]): Phrases | null {
  for (const reason of topReasons) {
    const phrases = RISK_PHRASES[reason.code as ReasonCode]?.(reason.params);
    if (phrases) return phrases;
  }
  return null;
}

const OBJECTION_OF_REASON: Partial<Record<ReasonCode, ObjectionKind>> = {
  network_issues_90d: 'network',
  arpu_trend_3m: 'price',
  arpu_trend_6m: 'price',
  complaints_30d: 'service',
  complaints_90d: 'service',
  contract_ends_in_days: 'competitor',
  contract_ended_days_ago: 'competitor',
  no_contract: 'competitor',
  usage_trend_3m: 'not_interested',
  voice_trend_3m: 'not_interested',
};

/** The objections the customer's churn reasons predict. */
export function likelyObjections(topReasons: readonly Reason[]): ReadonlySet<ObjectionKind> {
  const kinds = new Set<ObjectionKind>();
  for (const reason of topReasons) {
    const kind = OBJECTION_OF_REASON[reason.code as ReasonCode];
    if (kind !== undefined) kinds.add(kind);
  }
  return kinds;
}
