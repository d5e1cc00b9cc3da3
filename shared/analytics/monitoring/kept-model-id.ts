// A kept champion score (model_predictions) carries the card's modelVersion, "model · lifecycle ·
// value" (shared/analytics/assess-customer.ts); a shadow score carries the bare model id.
import { MODEL_VERSION_SEPARATOR } from '../assess-customer';

/** The registered model id a kept score was made with. */
export function keptModelId(modelVersion: string): string {
  return modelVersion.split(MODEL_VERSION_SEPARATOR)[0] as string;
}
