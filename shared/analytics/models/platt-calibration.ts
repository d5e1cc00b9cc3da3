// Platt scaling: probability = σ(slope·margin + intercept), fitted on margins the model did not
// train on (out-of-fold), which corrects both over-confidence and the shift class weights cause.
import { z } from 'zod';
import { fitLogisticRegression } from './logistic-regression';
import { sigmoid } from './sigmoid';

export const PlattCalibration = z.object({
  method: z.literal('platt'),
  slope: z.number(),
  intercept: z.number(),
  /** Out-of-fold rows it was fitted on. */
  fittedOn: z.number().int().positive(),
});
export type PlattCalibration = z.infer<typeof PlattCalibration>;

/** A whisper of L2 keeps the slope finite when the margins separate the classes perfectly. */
const PLATT_L2 = 1e-3;

export function fitPlattCalibration(margins: Float64Array, labels: Uint8Array): PlattCalibration {
  const fit = fitLogisticRegression(margins, margins.length, 1, labels, null, { l2: PLATT_L2, maxIterations: 100, tolerance: 1e-10 });
  return { method: 'platt', slope: fit.coefficients[0] as number, intercept: fit.intercept, fittedOn: margins.length };
}

export const calibratedProbability = (calibration: PlattCalibration, margin: number) => sigmoid(calibration.slope * margin + calibration.intercept);
