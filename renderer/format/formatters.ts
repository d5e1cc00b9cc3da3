// Numbers, money and dates in the interface language, all through Intl.
import { shownPercent } from '../../shared/domain/probability';
import type { Language } from '../i18n/languages';

export interface Formatters {
  /** Yuan, shown with the ¥ sign in both languages. */
  money(yuan: number): string;
  /** A probability 0..1 as a whole percentage, "< 1%" below one percent (the figure warning levels are decided on). */
  probability(p: number): string;
  /** A share counted from rows (0 of 1 accepted): "0%" when none, else as a probability. */
  share(fraction: number): string;
  /** A whole-number percentage (23 → "23%"); callers pass the magnitude. */
  percentPoints(pct: number): string;
  integer(n: number): string;
  /** A measured value of unknown scale (a model feature), up to 2 decimals. */
  decimal(n: number): string;
  /** A model measure (AUC, Brier score, PSI): always 3 decimals. */
  measure(n: number): string;
  /** A ratio such as a top-decile lift: always 2 decimals. */
  ratio(n: number): string;
  /** A calendar date given as YYYY-MM-DD, shown without shifting it through the local zone. */
  isoDate(date: string): string;
  /** A moment (ISO date-time) in the local zone. */
  dateTime(iso: string): string;
}

export function createFormatters(language: Language): Formatters {
  const money = new Intl.NumberFormat(language, {
    style: 'currency',
    currency: 'CNY',
    currencyDisplay: 'narrowSymbol',
    maximumFractionDigits: 2,
  });
  const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 });
  const integer = new Intl.NumberFormat(language, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(language, { maximumFractionDigits: 2 });
  const measure = new Intl.NumberFormat(language, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  const ratio = new Intl.NumberFormat(language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const date = new Intl.DateTimeFormat(language, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' });
  const dateTime = new Intl.DateTimeFormat(language, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  const validDate = (d: Date, fallback: string, f: Intl.DateTimeFormat) => (Number.isNaN(d.getTime()) ? fallback : f.format(d));
  const probability = (p: number) => {
    const shown = shownPercent(p);
    return shown === 0 ? `< ${percent.format(0.01)}` : percent.format(shown / 100);
  };

  return {
    money: (yuan) => money.format(yuan),
    probability,
    share: (fraction) => (fraction === 0 ? percent.format(0) : probability(fraction)),
    percentPoints: (pct) => percent.format(pct / 100),
    integer: (n) => integer.format(n),
    decimal: (n) => decimal.format(n),
    measure: (n) => measure.format(n),
    ratio: (n) => ratio.format(n),
    isoDate: (value) => validDate(new Date(`${value}T00:00:00Z`), value, date),
    dateTime: (iso) => validDate(new Date(iso), iso, dateTime),
  };
}
