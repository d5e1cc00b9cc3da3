// Turns a machine-readable Reason ({ code, params }) into a sentence in the interface language.
// Parameters are formatted by name before interpolation so every locale gets Intl formatting.
import type { TFunction } from 'i18next';
import type { Reason } from '../../shared/contract/entities';
import type { Formatters } from './formatters';

type Param = string | number;

/** Parameters whose value decides the plural form (e.g. "1 complaint" / "2 complaints"). */
const PLURAL_PARAMS = ['count', 'days', 'months'] as const;

/** Rule fields whose values are codes with a translation (value "red, orange" → "红色预警, 橙色预警"). */
const CODED_RULE_FIELDS: Record<string, string> = { stage: 'stage', valueTier: 'tier', warningLevel: 'warning', status: 'status' };

function formatParam(name: string, value: Param, t: TFunction, f: Formatters, params: Record<string, Param>): string {
  const codePrefix = typeof params.field === 'string' ? CODED_RULE_FIELDS[params.field] : undefined;
  if (typeof value === 'string' && codePrefix !== undefined && (name === 'value' || name === 'actual')) {
    return value
      .split(', ')
      .map((code) => t(`${codePrefix}.${code}`, { defaultValue: code }))
      .join(', ');
  }
  if (typeof value === 'number') {
    switch (name) {
      // A trend's sign becomes the wording (up/down), so the number shows its magnitude.
      case 'pct':
        return f.percentPoints(Math.abs(value));
      // A churn probability in whole percent (0 = below 1 %), read like every probability on the card.
      case 'churnPct':
        return f.probability(value / 100);
      case 'arpu':
      case 'yuan':
      case 'clv':
      case 'expectedValue':
        return f.money(value);
      case 'value':
      case 'actual':
        return f.decimal(value);
      default:
        return f.integer(value);
    }
  }
  if (name === 'date') return value === '' ? t('reason.dateUnknown') : f.isoDate(value);
  if (name === 'stage') return t(`stage.${value}`, { defaultValue: value });
  if (name === 'channel') return t(`channel.${value}`, { defaultValue: value });
  // An eligibility rule's comparison: the field and operator in words.
  if (name === 'field') return t(`ruleField.${value}`, { defaultValue: value });
  // A churn-model attribution: the feature (a training column) and a coded value in words; a
  // column of the operator's own data keeps its name.
  if (name === 'feature') return t(`modelFeature.${value}`, { defaultValue: value });
  if (name === 'value' && params.feature !== undefined) return t(`modelFeature.values.${value}`, { defaultValue: value });
  if (name === 'op') return t(`ruleOp.${value}`, { defaultValue: value });
  return value;
}

/**
 * i18next context: "down" / "up" for signed trends, picking `reason.<code>_down` where it exists;
 * "unary" for a rule comparison without a value (is_null / not_null).
 */
function reasonContext(params: Record<string, Param>): string | undefined {
  if (params.op !== undefined && params.value === undefined) return 'unary';
  const pct = params.pct;
  if (typeof pct !== 'number' || pct === 0) return undefined;
  return pct < 0 ? 'down' : 'up';
}

function pluralCount(params: Record<string, Param>): number | undefined {
  for (const name of PLURAL_PARAMS) {
    const value = params[name];
    if (typeof value === 'number') return value;
  }
  return undefined;
}

export function reasonText(reason: Reason, t: TFunction, f: Formatters): string {
  const key = `reason.${reason.code}`;
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(reason.params)) values[name] = formatParam(name, value, t, f, reason.params);
  // A code this build does not know yet still says something useful.
  if (!t(key, { defaultValue: '' })) return t('reason.unknown', { code: reason.code });
  const count = pluralCount(reason.params);
  return t(key, {
    ...values,
    ...(count === undefined ? {} : { count }),
    context: reasonContext(reason.params),
  });
}
