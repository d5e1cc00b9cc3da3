// What a desk needs to re-score one customer itself: the churn model, the operator's lifecycle
// and value configs, and the book calibration (RFM and tier cuts) the last batch run fitted.
// The server publishes one bundle (id 'current') through the change log; every scoring path
// (batch on the server, one customer on the desk) reads the same four parts. The retention
// programmes' uplift models ride along: the desk's arbitration reads them (absent: none has enough data).
import { z } from 'zod';
import { IsoDateTime } from '../contract/entities';
import { LifecycleConfig } from './lifecycle/lifecycle-config';
import { ModelArtifact } from './model-artifact';
import { UpliftModel } from './uplift/uplift-model';
import { BookCalibration } from './value/book-calibration';
import { ValueConfig } from './value/value-config';

export const CURRENT_SCORING_BUNDLE_ID = 'current';

export const ScoringBundle = z.object({
  id: z.literal(CURRENT_SCORING_BUNDLE_ID),
  version: z.number().int().positive(),
  model: ModelArtifact,
  lifecycle: LifecycleConfig,
  value: ValueConfig,
  calibration: BookCalibration,
  upliftModels: z.array(UpliftModel).optional(),
  publishedAt: IsoDateTime,
});
export type ScoringBundle = z.infer<typeof ScoringBundle>;
