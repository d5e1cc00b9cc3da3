// Calibration by decile: customers ranked by predicted churn probability and cut into ten groups
// of (nearly) equal size, lowest first; each group's mean prediction against the share that really
// left. A calibrated model's points lie on the diagonal.
export interface CalibrationDecile {
  /** 1 = the lowest-scored tenth, 10 = the highest. */
  decile: number;
  customers: number;
  meanPredicted: number;
  observedRate: number;
}

/** Group k holds ranks ⌊k·n/10⌋ … ⌊(k+1)·n/10⌋ − 1 (ties keep input order); empty groups are left out. */
export function calibrationByDecile(probabilities: readonly number[], churned: readonly boolean[]): CalibrationDecile[] {
  if (probabilities.length !== churned.length) throw new RangeError(`${probabilities.length} predictions for ${churned.length} outcomes`);
  const n = probabilities.length;
  const order = probabilities.map((_, i) => i).sort((a, b) => (probabilities[a] as number) - (probabilities[b] as number) || a - b);
  const deciles: CalibrationDecile[] = [];
  for (let k = 0; k < 10; k++) {
    const members = order.slice(Math.floor((k * n) / 10), Math.floor(((k + 1) * n) / 10));
    if (members.length === 0) continue;
    const predicted = members.reduce((sum, i) => sum + (probabilities[i] as number), 0);
    const observed = members.reduce((sum, i) => sum + (churned[i] ? 1 : 0), 0);
    deciles.push({ decile: k + 1, customers: members.length, meanPredicted: predicted / members.length, observedRate: observed / members.length });
  }
  return deciles;
}
