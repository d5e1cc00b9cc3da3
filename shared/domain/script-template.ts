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

/** Every fact a conditional part names (as {key} or {?key}) is known. */
function allKnown(text: string, facts: ScriptFacts): boolean {
  for (const [, key] of text.matchAll(/\{\??(\w+)\}/g)) if (key !== undefined && isFactKey(key) && !known(facts, key)) return false;
  return true;
}

/** Literal text, or a fact said as its value or, when missing, its fallback. */
type Piece = string | { fact: FactKey };

/** Keeps each [A|B] part as the known facts decide, then splits the text at its placeholders. */
function compile(template: string, facts: ScriptFacts): Piece[] {
  const chosen = template.replace(/\[([^[\]|]*)(?:\|([^[\]]*))?\]/g, (_, then: string, otherwise: string | undefined) =>
    allKnown(then, facts) ? then : (otherwise ?? ''),
  );
  const pieces: Piece[] = [];
  let literal = '';
  let from = 0;
  for (const match of chosen.matchAll(/\{(\??)(\w+)\}/g)) {
    const [whole, condition, key] = match;
    literal += chosen.slice(from, match.index);
    from = match.index + whole.length;
    // An unknown key stays as written; a {?key} condition prints nothing.
    if (key === undefined || !isFactKey(key)) literal += whole;
    else if (condition !== '?') {
      pieces.push(literal, { fact: key });
      literal = '';
    }
  }
  pieces.push(literal + chosen.slice(from));
  return pieces;
}

/**
 * Which facts are known decides the whole shape of a filled template, so each template is
 * compiled once per set of known facts (a bit per fact) and then only concatenated: a card fills
 * a dozen templates in two languages, and parsing them with regular expressions on every ring was
 * most of the card's build time. The templates come from the offer catalogue, so the memo stays
 * small; it is dropped whole if a long-running desk ever sees many catalogues.
 */
const compiledTemplates = new Map<string, Piece[][]>();
const MAX_COMPILED_TEMPLATES = 5000;

function knownMask(facts: ScriptFacts): number {
  let mask = 0;
  for (let bit = 0; bit < SCRIPT_FACT_KEYS.length; bit += 1) if (known(facts, SCRIPT_FACT_KEYS[bit]!)) mask |= 1 << bit;
  return mask;
}

function fillCompiled(template: string, facts: ScriptFacts, lang: ScriptLanguage, mask: number): string {
  let byMask = compiledTemplates.get(template);
  if (byMask === undefined) {
    if (compiledTemplates.size >= MAX_COMPILED_TEMPLATES) compiledTemplates.clear();
    byMask = [];
    compiledTemplates.set(template, byMask);
  }
  const pieces = (byMask[mask] ??= compile(template, facts));
  let text = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') text += piece;
    else text += known(facts, piece.fact) ? String(facts[piece.fact]) : FALLBACKS[lang][piece.fact];
  }
  return text;
}

export function fillTemplate(template: string, facts: ScriptFacts, lang: ScriptLanguage): string {
  return fillCompiled(template, facts, lang, knownMask(facts));
}

/** Objections the customer is likely to raise come first (likely = true), otherwise in script order. */
export function renderScript(script: OfferScript, facts: ScriptFacts, lang: ScriptLanguage, likely: ReadonlySet<ObjectionKind>): RenderedScript {
  const mask = knownMask(facts);
  // One pass, no closure: a card renders a dozen of these on every ring.
  const likelyFirst: RenderedScript['objections'] = [];
  const others: RenderedScript['objections'] = [];
  for (const { kind, answer } of script.objections) {
    const isLikely = likely.has(kind);
    (isLikely ? likelyFirst : others).push({ kind, answer: fillCompiled(answer[lang], facts, lang, mask), likely: isLikely });
  }
  return {
    opening: fillCompiled(script.opening[lang], facts, lang, mask),
    pitch: fillCompiled(script.pitch[lang], facts, lang, mask),
    objections: likelyFirst.concat(others),
  };
}
