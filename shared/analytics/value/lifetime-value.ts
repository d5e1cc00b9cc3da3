// Customer lifetime value (客户终生价值) as discounted expected margin:
//   CLV = Σ_{t=1..n} m · p^t / (1+r)^t
// with margin m per month, monthly retention p and monthly discount rate r. With p = 1 it is
// the annuity m · (1 − 1/(1+r)^n) / r from the source documents.

export function lifetimeValue(monthlyMargin: number, monthlyRetention: number, monthlyDiscountRate: number, months: number): number {
  const q = monthlyRetention / (1 + monthlyDiscountRate);
  // Geometric series in closed form; q = 1 only when nothing is lost or discounted.
  const sum = q === 1 ? months : (q * (1 - q ** months)) / (1 - q);
  return monthlyMargin * sum;
}

export function monthlyRate(annualRate: number): number {
  return (1 + annualRate) ** (1 / 12) - 1;
}

/** Monthly retention implied by a probability of churning within 12 months. */
export function monthlyRetentionFromAnnualChurn(annualChurnProbability: number): number {
  const p = Math.min(Math.max(annualChurnProbability, 0), 0.999999);
  return (1 - p) ** (1 / 12);
}
