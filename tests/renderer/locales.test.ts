// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { DESK_ERROR_CODES } from '../../shared/contract/desk-api';
import {
  LIFECYCLE_STAGES,
  OBJECTION_KINDS,
  OFFER_KINDS,
  VALUE_TIERS,
  WARNING_LEVELS,
} from '../../shared/contract/entities';
import { OUTCOME_RESULTS } from '../../shared/contract/outcomes';
import { ROLES } from '../../shared/contract/central-api';
import { REASON_CODES } from '../../shared/contract/reason-codes';
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

  it.each(Object.keys(locales) as (keyof typeof locales)[])('%s translates every reason code and enum value', (lang) => {
    const keys = new Set(flatKeys(locales[lang]));
    const required = [
      ...REASON_CODES.map((c) => `reason.${c}`),
      ...LIFECYCLE_STAGES.map((s) => `stage.${s}`),
      ...VALUE_TIERS.map((v) => `tier.${v}`),
      ...WARNING_LEVELS.map((w) => `warning.${w}`),
      ...OFFER_KINDS.map((k) => `offerKind.${k}`),
      ...OBJECTION_KINDS.map((k) => `objectionKind.${k}`),
      ...OUTCOME_RESULTS.map((r) => `outcome.result.${r}`),
      ...DESK_ERROR_CODES.map((c) => `error.${c}`),
      ...ROLES.map((r) => `role.${r}`),
    ];
    expect(required.filter((k) => !keys.has(k))).toEqual([]);
  });
});
