// A probability as people read it on the card: whole percent, and "< 1 %" below one percent.
// The warning level is decided on this same figure (shared/analytics/models/warning-thresholds.ts),
// so a card can never show "< 1 %" next to a warning, or 29 % in a level that starts at 30 %.

/** Probabilities are stored with this many decimals (0.125 = 12.5 %). */
const STORED_DECIMALS = 3;

export function roundProbability(p: number): number {
  return Math.round(p * 10 ** STORED_DECIMALS) / 10 ** STORED_DECIMALS;
}

/**
 * The whole percent the card shows for p (stored rounding first, then half up, as Intl does);
 * 0 means "below 1 %", which the card writes as "< 1 %".
 */
export function shownPercent(p: number): number {
  const stored = roundProbability(p);
  if (stored < 0.01) return 0;
  // toFixed first: 0.145 * 100 is 14.499999999999998 in binary, and Intl shows it as 15 %.
  return Math.round(Number((stored * 100).toFixed(6)));
}
