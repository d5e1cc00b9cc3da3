// The customer segment P(accept) is learned under: lifecycle stage × value tier. Coarse on
// purpose, so each segment gathers enough outcomes to learn from.
import type { LifecycleStage, ValueTier } from '../contract/entities';

/** 'D/gold'; 'prospect/none' and 'B/none' (unscored) when the tier is unknown. */
export function segmentOf(stage: LifecycleStage, valueTier: ValueTier | null): string {
  return `${stage}/${valueTier ?? 'none'}`;
}
