// The logistic link and its numerically safe pieces, shared by every model and the calibration.

export const sigmoid = (margin: number) => 1 / (1 + Math.exp(-margin));

/** log(1 + e^m) without overflow. */
export const softplus = (margin: number) => (margin > 0 ? margin + Math.log1p(Math.exp(-margin)) : Math.log1p(Math.exp(margin)));

/** The log-odds of a rate, clipped away from 0 and 1. */
export function logOdds(rate: number): number {
  const p = Math.min(1 - 1e-12, Math.max(1e-12, rate));
  return Math.log(p / (1 - p));
}
