// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { CustomerCard, DESK_ERROR_CODES, SearchMatch } from '../../shared/contract/desk-api';
import { LIFECYCLE_STAGES, OBJECTION_KINDS, OFFER_KINDS, VALUE_TIERS, WARNING_LEVELS } from '../../shared/contract/entities';
import { CONTACT_CHANNELS, DECLINE_REASONS, NOT_PRESENTED_REASONS, OUTCOME_RESULTS } from '../../shared/contract/outcomes';
import { ROLES } from '../../shared/contract/central-api';
import { REASON_CODES } from '../../shared/contract/reason-codes';
import { RULE_FIELDS } from '../../shared/contract/offer-rules';
import { SHORTCUT_HINTS } from '../../renderer/keyboard/shortcuts';
import { OUTCOME_COLUMNS } from '../../renderer/supervisor/outcome-columns';
import en from '../../renderer/i18n/locales/en.json';
import zhCN from '../../renderer/i18n/locales/zh-CN.json';

// Plural forms are per language (English has "_one", Chinese has none), so they are
// compared by their base key.
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function flatKeys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? flatKeys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

const locales = { 'zh-CN': zhCN, en } as const;

/** Every renderer source file, as text (Vite's glob: no Node APIs in the renderer tests). */
const RENDERER_SOURCES = import.meta.glob<string>(['../../renderer/**/*.ts', '../../renderer/**/*.tsx', '!../../renderer/vite.config.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** The literal keys the code translates: t('a.b') and t("a.b"), not keys built at run time. */
function literalKeys(source: string): string[] {
  return [...source.matchAll(/\bt\(\s*(['"])([\w.-]+)\1/g)].map((m) => m[2]!);
}

/** Keys a locale lacks, counting a plural family (key_one, key_other) as the key. */
function missingFrom(lang: keyof typeof locales, keys: readonly string[]): string[] {
  const present = new Set(flatKeys(locales[lang]).map((k) => k.replace(PLURAL_SUFFIX, '')));
  return [...new Set(keys)].filter((k) => !present.has(k)).sort();
}

describe('locale files', () => {
  it('have the same keys in both languages', () => {
    const base = (tree: object) => [...new Set(flatKeys(tree).map((k) => k.replace(PLURAL_SUFFIX, '')))].sort();
    expect(base(en)).toEqual(base(zhCN));
  });

  it('have no empty strings', () => {
    for (const tree of Object.values(locales)) {
      for (const key of flatKeys(tree)) {
        const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree);
        expect(value, key).not.toBe('');
      }
    }
  });

  it('find the literal keys in code, and a key missing from a locale is reported', () => {
    expect(literalKeys(`t('a.b'); i18n.t("c_d.e", { x }); const t2 = at('no'); t(\`dyn.\${x}\`)`)).toEqual(['a.b', 'c_d.e']);
    expect(missingFrom('en', ['offer.pitch', 'offer.noSuchKey', 'report.rowCount'])).toEqual(['offer.noSuchKey']);
  });

  it.each(Object.keys(locales) as (keyof typeof locales)[])('%s translates every key the renderer code uses literally', (lang) => {
    const files = Object.entries(RENDERER_SOURCES);
    expect(files.length).toBeGreaterThan(20);
    const used = files.flatMap(([, source]) => literalKeys(source));
    expect(missingFrom(lang, used)).toEqual([]);
  });

  it.each(Object.keys(locales) as (keyof typeof locales)[])('%s translates every reason code and enum value', (lang) => {
    const required = [
      ...REASON_CODES.map((c) => `reason.${c}`),
      ...RULE_FIELDS.map((f) => `ruleField.${f}`),
      ...LIFECYCLE_STAGES.map((s) => `stage.${s}`),
      ...VALUE_TIERS.map((v) => `tier.${v}`),
      ...WARNING_LEVELS.map((w) => `warning.${w}`),
      ...OFFER_KINDS.map((k) => `offerKind.${k}`),
      ...OBJECTION_KINDS.map((k) => `objectionKind.${k}`),
      ...OUTCOME_RESULTS.map((r) => `outcome.result.${r}`),
      ...DECLINE_REASONS.map((r) => `outcome.declineReason.${r}`),
      ...NOT_PRESENTED_REASONS.map((r) => `outcome.notPresentedReason.${r}`),
      ...CONTACT_CHANNELS.map((c) => `channel.${c}`),
      ...CustomerCard.shape.decision.shape.kind.options.map((k) => `decision.${k}`),
      ...SearchMatch.shape.matchedOn.options.map((m) => `search.matchedOn.${m}`),
      ...OUTCOME_COLUMNS.map((c) => `report.col.${c}`),
      ...SHORTCUT_HINTS.map(([, key]) => key),
      ...DESK_ERROR_CODES.map((c) => `error.${c}`),
      ...ROLES.map((r) => `role.${r}`),
    ];
    expect(missingFrom(lang, required)).toEqual([]);
  });
});
