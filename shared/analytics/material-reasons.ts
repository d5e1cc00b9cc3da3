// Which of the model's attributions the card may name as a risk reason: one that raises this
// customer's churn probability by a material amount, and whose value reads as a risk in words
// (a fall, not a 0 % change; a complaint, not zero complaints). The rest would contradict the card.
import type { Reason } from '../contract/entities';
import { churnReasonFromAttribution } from './customer-features';
import { FEATURE_CONTRIBUTION } from './score-rows';

/** A reason must add at least this much to the probability (1 percentage point). */
export const MATERIAL_PROBABILITY_POINTS = 0.01;

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** How much the probability would fall without this attribution's effect (log-odds). */
export function probabilityAddedBy(probability: number, effect: number): number {
  const p = Math.min(Math.max(probability, 1e-9), 1 - 1e-9);
  return p - sigmoid(logit(p) - effect);
}

const numeric = (params: Reason['params'], key: string) => (typeof params[key] === 'number' ? (params[key] as number) : null);

/** A domain reason whose value names a risk: falling trends, counts above zero. */
export function readsAsRisk(reason: Reason): boolean {
  switch (reason.code) {
    case 'arpu_trend_3m':
    case 'arpu_trend_6m':
    case 'usage_trend_3m':
    case 'voice_trend_3m':
      return (numeric(reason.params, 'pct') ?? 0) < 0;
    case 'complaints_30d':
    case 'complaints_90d':
    case 'network_issues_90d':
      return (numeric(reason.params, 'count') ?? 0) > 0;
    default:
      return true;
  }
}

/** The attributions (largest first) the card shows, as domain reasons, at most `limit`. */
export function materialRiskReasons(attributions: readonly Reason[], probability: number, limit: number): Reason[] {
  const shown: Reason[] = [];
  for (const attribution of attributions) {
    if (shown.length >= limit) break;
    const effect = attribution.code === FEATURE_CONTRIBUTION ? numeric(attribution.params, 'effect') : null;
    if (effect !== null && probabilityAddedBy(probability, effect) < MATERIAL_PROBABILITY_POINTS) continue;
    const reason = churnReasonFromAttribution(attribution);
    if (readsAsRisk(reason)) shown.push(reason);
  }
  return shown;
}
