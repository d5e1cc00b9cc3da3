// The average of the two families: a weighted mean of the logit's and the trees' margins (both
// log-odds), calibrated like either alone. Where one family sees what the other misses (the
// logit's smooth trends, the trees' interactions) the mean ranks and calibrates better than both.
import { z } from 'zod';
import { GbdtModel } from './gbdt-model';
import { LogitModel } from './logit-model';

export const BlendModel = z.object({
  algo: z.literal('blend'),
  /** Weight of the logit's margin; the trees' margin gets the rest. */
  logitWeight: z.number().min(0).max(1),
  logit: LogitModel,
  gbdt: GbdtModel,
});
export type BlendModel = z.infer<typeof BlendModel>;

/** out[i] = w·logit[i] + (1 − w)·gbdt[i]; `out` may be `logit`. */
export function blendMargins(logit: Float64Array, gbdt: Float64Array, logitWeight: number, out: Float64Array = new Float64Array(logit.length)): Float64Array {
  for (let i = 0; i < logit.length; i++) out[i] = logitWeight * (logit[i] as number) + (1 - logitWeight) * (gbdt[i] as number);
  return out;
}
