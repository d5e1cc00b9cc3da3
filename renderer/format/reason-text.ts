// Turns a machine-readable Reason ({ code, params }) into a sentence in the interface language.
// Parameters are formatted by name before interpolation so every locale gets Intl formatting.
import type { TFunction } from 'i18next';
import type { Reason } from '../../shared/contract/entities';
import type { Formatters } from './formatters';

type Param = string | number;

/** Parameters whose value decides the plural form (e.g. "1 complaint" / "2 complaints"). */
const PLURAL_PARAMS = ['count', 'days', 'months'] as const;

function formatParam(name: string, value: Param, t: TFunction, f: Formatters): string {
  if (typeof value === 'number') {
    switch (name) {
      // A trend's sign becomes the wording (up/down), so the number shows its magnitude.
      case 'pct':
        return f.percentPoints(Math.abs(value));
      case 'arpu':
        return f.money(value);
      case 'value':
        return f.decimal(value);
      default:
        return f.integer(value);
    }
  }
  if (name === 'date') return value === '' ? t('reason.dateUnknown') : f.isoDate(value);
  if (name === 'stage') return t(`stage.${value}`, { defaultValue: value });
  return value;
}

/** i18next context: "down" / "up" for signed trends, picking `reason.<code>_down` where it exists. */
function trendContext(params: Record<string, Param>): string | undefined {
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
  for (const [name, value] of Object.entries(reason.params)) values[name] = formatParam(name, value, t, f);
  // A code this build does not know yet still says something useful.
  if (!t(key, { defaultValue: '' })) return t('reason.unknown', { code: reason.code });
  const count = pluralCount(reason.params);
  return t(key, {
    ...values,
    ...(count === undefined ? {} : { count }),
    context: trendContext(reason.params),
  });
}
