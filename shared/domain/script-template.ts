// Fills {placeholders} in script lines with the customer's facts. A missing fact never
// leaves a raw "{name}" in front of the agent: it falls back to a neutral wording.
import type { ObjectionKind, OfferScript } from '../contract/entities';
import type { RenderedScript } from '../contract/desk-api';

export type ScriptLanguage = 'zh' | 'en';

export interface ScriptFacts {
  name?: string | null;
  tenureMonths?: number | null;
  planName?: string | null;
  monthlyFee?: number | null;
  offerName?: string | null;
  /** The customer's main churn reason in words (shared/offers/churn-reasons.ts). */
  riskReason?: string | null;
}

const FALLBACKS: Record<ScriptLanguage, Record<keyof ScriptFacts, string>> = {
  zh: { name: '您', tenureMonths: '一段时间', planName: '当前套餐', monthlyFee: '当前', offerName: '这项优惠', riskReason: '您近期的使用体验' },
  en: {
    name: 'there',
    tenureMonths: 'some',
    planName: 'your current plan',
    monthlyFee: 'your current',
    offerName: 'this offer',
    riskReason: 'your recent experience with us',
  },
};

export function fillTemplate(template: string, facts: ScriptFacts, lang: ScriptLanguage): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    if (!Object.hasOwn(FALLBACKS[lang], key)) return whole;
    const value = facts[key as keyof ScriptFacts];
    return value === null || value === undefined || value === '' ? FALLBACKS[lang][key as keyof ScriptFacts] : String(value);
  });
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
