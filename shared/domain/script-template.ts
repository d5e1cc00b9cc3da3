// Fills {placeholders} in script lines with the customer's facts. A missing fact never
// leaves a raw "{name}" in front of the agent: it falls back to a neutral wording.
import type { OfferScript } from '../contract/entities';
import type { RenderedScript } from '../contract/desk-api';

export type ScriptLanguage = 'zh' | 'en';

export interface ScriptFacts {
  name?: string | null;
  tenureMonths?: number | null;
  planName?: string | null;
  monthlyFee?: number | null;
  offerName?: string | null;
}

const FALLBACKS: Record<ScriptLanguage, Record<keyof ScriptFacts, string>> = {
  zh: { name: '您', tenureMonths: '一段时间', planName: '当前套餐', monthlyFee: '当前', offerName: '这项优惠' },
  en: { name: 'there', tenureMonths: 'some', planName: 'your current plan', monthlyFee: 'your current', offerName: 'this offer' },
};

export function fillTemplate(template: string, facts: ScriptFacts, lang: ScriptLanguage): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    if (!Object.hasOwn(FALLBACKS[lang], key)) return whole;
    const value = facts[key as keyof ScriptFacts];
    return value === null || value === undefined || value === '' ? FALLBACKS[lang][key as keyof ScriptFacts] : String(value);
  });
}

export function renderScript(script: OfferScript, facts: ScriptFacts, lang: ScriptLanguage): RenderedScript {
  return {
    opening: fillTemplate(script.opening[lang], facts, lang),
    pitch: fillTemplate(script.pitch[lang], facts, lang),
    objections: script.objections.map((o) => ({ kind: o.kind, answer: fillTemplate(o.answer[lang], facts, lang) })),
  };
}
