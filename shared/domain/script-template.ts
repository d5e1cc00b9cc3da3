// Fills {placeholders} in script lines with the customer's facts, and keeps conditional parts only
// when what they say is true. A missing fact never leaves a raw "{name}" in front of the agent:
//   {key}        the fact, or a neutral wording that fits the same place in the sentence;
//   [A|B]        A when every fact A names is known, otherwise B ([A] alone: A or nothing);
//   {?key}       inside A: a condition that prints nothing ("[{?grievance}As an apology, we|We] ...").
// So a script says the risk reason only when there is one, and apologises only for something real.
import type { ObjectionKind, OfferScript } from '../contract/entities';
import type { RenderedScript } from '../contract/desk-api';

export type ScriptLanguage = 'zh' | 'en';

export interface ScriptFacts {
  name?: string | null;
  tenureMonths?: number | null;
  /** The tenure in words with its unit ("14 months", "1 month", "14个月"). */
  tenure?: string | null;
  planName?: string | null;
  monthlyFee?: number | null;
  offerName?: string | null;
  /** The customer's main churn reason in words (shared/offers/churn-reasons.ts). */
  riskReason?: string | null;
  /** Something the operator did wrong, in words: complaints or network faults (churn-reasons.ts). */
  grievance?: string | null;
  /** The customer's recent network faults in words. */
  networkProblems?: string | null;
}

export const SCRIPT_FACT_KEYS = [
  'name',
  'tenureMonths',
  'tenure',
  'planName',
  'monthlyFee',
  'offerName',
  'riskReason',
  'grievance',
  'networkProblems',
] as const;
type FactKey = (typeof SCRIPT_FACT_KEYS)[number];

/** Said in place of a missing fact; each reads in any sentence the shipped scripts put it in. */
const FALLBACKS: Record<ScriptLanguage, Record<FactKey, string>> = {
  zh: {
    name: '',
    tenureMonths: '多',
    tenure: '一段时间',
    planName: '当前套餐',
    monthlyFee: '现在的',
    offerName: '这项优惠',
    riskReason: '您近期的使用情况',
    grievance: '您近期遇到的问题',
    networkProblems: '网络问题',
  },
  en: {
    name: 'there',
    tenureMonths: 'many',
    tenure: 'a while',
    planName: 'your plan',
    monthlyFee: 'the usual',
    offerName: 'offer',
    riskReason: 'how things have been for you lately',
    grievance: 'the trouble you have had',
    networkProblems: 'network problems',
  },
};

const isFactKey = (key: string): key is FactKey => (SCRIPT_FACT_KEYS as readonly string[]).includes(key);

function known(facts: ScriptFacts, key: FactKey): boolean {
  const value = facts[key];
  return value !== null && value !== undefined && value !== '';
}

function fillPlaceholders(text: string, facts: ScriptFacts, lang: ScriptLanguage): string {
  return text.replace(/\{(\??)(\w+)\}/g, (whole, condition: string, key: string) => {
    if (!isFactKey(key)) return whole;
    if (condition === '?') return '';
    return known(facts, key) ? String(facts[key]) : FALLBACKS[lang][key];
  });
}

/** Every fact a conditional part names (as {key} or {?key}) is known. */
function allKnown(text: string, facts: ScriptFacts): boolean {
  for (const [, key] of text.matchAll(/\{\??(\w+)\}/g)) if (key !== undefined && isFactKey(key) && !known(facts, key)) return false;
  return true;
}

export function fillTemplate(template: string, facts: ScriptFacts, lang: ScriptLanguage): string {
  const chosen = template.replace(/\[([^[\]|]*)(?:\|([^[\]]*))?\]/g, (_, then: string, otherwise: string | undefined) =>
    allKnown(then, facts) ? then : (otherwise ?? ''),
  );
  return fillPlaceholders(chosen, facts, lang);
}

/** Objections the customer is likely to raise come first (likely = true), otherwise in script order. */
export function renderScript(script: OfferScript, facts: ScriptFacts, lang: ScriptLanguage, likely: ReadonlySet<ObjectionKind>): RenderedScript {
  const objections = script.objections.map((o) => ({ kind: o.kind, answer: fillTemplate(o.answer[lang], facts, lang), likely: likely.has(o.kind) }));
  return {
    opening: fillTemplate(script.opening[lang], facts, lang),
    pitch: fillTemplate(script.pitch[lang], facts, lang),
    objections: [...objections.filter((o) => o.likely), ...objections.filter((o) => !o.likely)],
  };
}
