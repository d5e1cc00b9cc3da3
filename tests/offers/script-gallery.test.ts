// Issue 14 §3: every shipped script, for every customer situation (no risk reason, or each reason
// the churn model can name) and every fact that can be missing, in both languages, checked for
// grammar slips and written to a golden file a person reads in review:
//   tests/offers/__golden__/script-gallery.md
// The test fails when the scripts render differently from the file. After a deliberate change:
//   UPDATE_GOLDEN=1 npx vitest run tests/offers/script-gallery.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { customerSignals } from '../../shared/analytics/customer-signals';
import type { Customer, Offer, Reason } from '../../shared/contract/entities';
import type { RenderedScript } from '../../shared/contract/desk-api';
import { scriptFactsOf } from '../../shared/domain/customer-card';
import { renderScript, type ScriptFacts, type ScriptLanguage } from '../../shared/domain/script-template';
import { likelyObjections } from '../../shared/offers/churn-reasons';
import { loadOfferCatalog } from '../../server/catalog/load-catalog';
import { NOW, customer as customerFixture, flat } from './fixtures';

/** What the gallery reads of a catalogue offer. */
type ScriptedOffer = Pick<Offer, 'id' | 'kind' | 'name' | 'script'>;

const GOLDEN = new URL('./__golden__/script-gallery.md', import.meta.url);
const LANGUAGES: readonly ScriptLanguage[] = ['zh', 'en'];

interface Situation {
  label: string;
  reasons: Reason[];
  counts: Pick<Customer, 'complaints30d' | 'complaints90d' | 'networkIssues90d'>;
}
const calm = { complaints30d: 0, complaints90d: 0, networkIssues90d: 0 };
/** No risk reason, then each reason the card can name (the customer's counts agree with it). */
const SITUATIONS: Situation[] = [
  { label: 'no risk reason', reasons: [], counts: calm },
  { label: 'ARPU down 23% (3 months)', reasons: [{ code: 'arpu_trend_3m', params: { pct: -23 } }], counts: calm },
  { label: 'ARPU down 30% (6 months)', reasons: [{ code: 'arpu_trend_6m', params: { pct: -30 } }], counts: calm },
  { label: 'data use down 40%', reasons: [{ code: 'usage_trend_3m', params: { pct: -40 } }], counts: calm },
  { label: 'calls down 35%', reasons: [{ code: 'voice_trend_3m', params: { pct: -35 } }], counts: calm },
  {
    label: '1 complaint (30 days)',
    reasons: [{ code: 'complaints_30d', params: { count: 1 } }],
    counts: { complaints30d: 1, complaints90d: 1, networkIssues90d: 0 },
  },
  {
    label: '3 complaints (30 days)',
    reasons: [{ code: 'complaints_30d', params: { count: 3 } }],
    counts: { complaints30d: 3, complaints90d: 3, networkIssues90d: 0 },
  },
  {
    label: '2 complaints (90 days)',
    reasons: [{ code: 'complaints_90d', params: { count: 2 } }],
    counts: { complaints30d: 0, complaints90d: 2, networkIssues90d: 0 },
  },
  {
    label: '1 network fault',
    reasons: [{ code: 'network_issues_90d', params: { count: 1 } }],
    counts: { complaints30d: 0, complaints90d: 0, networkIssues90d: 1 },
  },
  {
    label: '4 network faults',
    reasons: [{ code: 'network_issues_90d', params: { count: 4 } }],
    counts: { complaints30d: 0, complaints90d: 0, networkIssues90d: 4 },
  },
  { label: 'contract ends in 20 days', reasons: [{ code: 'contract_ends_in_days', params: { days: 20 } }], counts: calm },
  { label: 'contract ended 45 days ago', reasons: [{ code: 'contract_ended_days_ago', params: { days: 45 } }], counts: calm },
  { label: 'no contract', reasons: [{ code: 'no_contract', params: {} }], counts: calm },
  { label: 'joined 1 month ago', reasons: [{ code: 'tenure_months', params: { months: 1 } }], counts: calm },
];

/** Facts a card can lack: a name not on file, no plan or fee known (unscored), a tenure of 0 months. */
const MISSING: { label: string; keys: (keyof ScriptFacts)[] }[] = [
  { label: 'all facts known', keys: [] },
  { label: 'no name', keys: ['name'] },
  { label: 'no plan or fee', keys: ['planName', 'monthlyFee'] },
  { label: 'no tenure', keys: ['tenure', 'tenureMonths'] },
];

const CUSTOMER = customerFixture({ name: '王芳', joinDate: '2025-09-01', arpu: flat(130) });

function render(offer: ScriptedOffer, situation: Situation, missing: (keyof ScriptFacts)[], lang: ScriptLanguage): RenderedScript {
  const customer = { ...CUSTOMER, ...situation.counts };
  const facts: ScriptFacts = { ...scriptFactsOf(customer, customerSignals(customer, NOW), situation.reasons)(lang), offerName: offer.name[lang] };
  for (const key of missing) facts[key] = null;
  return renderScript(offer.script, facts, lang, likelyObjections(situation.reasons));
}

/** Each distinct text once, under the combinations that give it ("every combination" when all do). */
function grouped(lines: string[], combinations: { label: string; text: string }[], total: number): void {
  const variants = new Map<string, string[]>();
  for (const { label, text } of combinations) variants.set(text, [...(variants.get(text) ?? []), label]);
  for (const [text, labels] of variants) lines.push(`#### ${labels.length === total ? 'every combination' : labels.join('; ')}`, '', text, '');
}

/**
 * Per offer and language: the opening and pitch for each situation × missing fact, then the
 * objection answers (which do not depend on the risk reason; its order does, tested elsewhere).
 */
function gallery(offers: readonly ScriptedOffer[]): string {
  const lines = [
    '# Script gallery',
    '',
    'Every shipped script for every situation (no risk reason, or each reason the card can name) and every fact that can be',
    'missing, in both languages; each distinct text once, under the combinations that give it. Generated by',
    'tests/offers/script-gallery.test.ts; regenerate with `UPDATE_GOLDEN=1 npx vitest run tests/offers/script-gallery.test.ts`',
    'and read the diff in review.',
    '',
  ];
  for (const offer of offers) {
    lines.push(`## ${offer.id} (${offer.kind}): ${offer.name.zh} / ${offer.name.en}`, '');
    for (const lang of LANGUAGES) {
      lines.push(`### ${lang}: opening and pitch`, '');
      const spoken = SITUATIONS.flatMap((situation) =>
        MISSING.map((missing) => {
          const script = render(offer, situation, missing.keys, lang);
          return { label: `${situation.label} · ${missing.label}`, text: `- opening: ${script.opening}\n- pitch: ${script.pitch}` };
        }),
      );
      grouped(lines, spoken, SITUATIONS.length * MISSING.length);
      lines.push(`### ${lang}: objection answers`, '');
      const answers = MISSING.map((missing) => {
        const script = render(offer, SITUATIONS[0]!, missing.keys, lang);
        return { label: missing.label, text: script.objections.map((o) => `- ${o.kind}: ${o.answer}`).join('\n') };
      });
      grouped(lines, answers, MISSING.length);
    }
  }
  return lines.join('\n');
}

const APOLOGY: Record<ScriptLanguage, RegExp> = { zh: /歉|抱歉/, en: /sorry|apolog/i };
const SLIPS: Record<ScriptLanguage, RegExp[]> = {
  zh: [/您您/, /[^\d一二三四五六七八九十两]个月/, /[^\d多]元/, /，，|。。|，。|，；/, /\s\s/],
  en: [
    /\b(\w+) \1\b/i,
    /\b1 (months|complaints|network problems|days)\b/,
    /\b(the|a|our|your) (the|this|your|our)\b/i,
    / [,.;:]/,
    /  /,
    /\.\./,
    /[,;] (We|The|You|Your|As|With|Half|That|Hello)\b/,
  ],
};

describe('the script gallery', () => {
  const { offers } = loadOfferCatalog();

  it('renders every offer × situation × missing fact grammatically in both languages', () => {
    for (const offer of offers) {
      for (const situation of SITUATIONS) {
        for (const missing of MISSING) {
          for (const lang of LANGUAGES) {
            const script = render(offer, situation, missing.keys, lang);
            const where = `${offer.id} · ${situation.label} · ${missing.label} · ${lang}`;
            for (const line of [script.opening, script.pitch, ...script.objections.map((o) => o.answer)]) {
              expect(line, where).not.toMatch(/[{}[\]|]/);
              for (const slip of SLIPS[lang]) expect(line.replace(offer.name[lang], 'X'), `${where}: ${line}`).not.toMatch(slip);
            }
            // Apologise only when there is something to apologise for (the offer's own name aside).
            const spoken = `${script.opening} ${script.pitch}`.replace(offer.name[lang], 'X');
            const grievance = situation.counts.complaints90d + situation.counts.networkIssues90d > 0;
            if (!grievance) expect(spoken, `${where}: ${spoken}`).not.toMatch(APOLOGY[lang]);
          }
        }
      }
    }
  });

  it('says the risk reason only when there is one, and then in the customer-facing words', () => {
    const saysReason = offers.filter((o) => `${o.script.opening.en} ${o.script.pitch.en}`.includes('{riskReason}'));
    expect(saysReason.length).toBeGreaterThan(0);
    for (const offer of saysReason) {
      expect(render(offer, SITUATIONS[0]!, [], 'en').opening, offer.id).not.toMatch(/lately|recent experience/);
      expect(render(offer, SITUATIONS[1]!, [], 'en').opening, offer.id).toContain('your spending is down 23% over the last 3 months');
      expect(render(offer, SITUATIONS[1]!, [], 'zh').opening, offer.id).toContain('近3个月消费下降了23%');
    }
  });

  it('matches the golden gallery (UPDATE_GOLDEN=1 rewrites it)', () => {
    const rendered = gallery(offers);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, rendered);
    let golden = '';
    try {
      golden = readFileSync(GOLDEN, 'utf8');
    } catch {
      throw new Error(`no golden gallery at ${GOLDEN.pathname}: run with UPDATE_GOLDEN=1 and review it`);
    }
    expect(rendered, 'the scripts render differently from the golden gallery: review, then UPDATE_GOLDEN=1').toBe(golden);
  });
});
