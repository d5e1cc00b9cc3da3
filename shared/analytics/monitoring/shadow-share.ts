// Which customers a challenger scores in shadow: a deterministic share fixed by the customer id and
// the challenger's id (a hash, as the programmes' control groups are drawn), so re-running the
// shadow pass scores the same customers and another challenger draws another sample.
import { uniformFromString } from '../../offers/exploration-seed';

export function inShadowShare(customerId: string, challengerModelId: string, share: number): boolean {
  if (!(share >= 0 && share <= 1)) throw new RangeError(`shadow share must be between 0 and 1, got ${share}`);
  return uniformFromString(`shadow\u0000${challengerModelId}\u0000${customerId}`) < share;
}
