// A model scores the book only if every column it was trained on is one the book's feature table
// has (CUSTOMER_FEATURE_COLUMNS): one trained on another data set's columns would fail mid-pass.
import { CUSTOMER_FEATURE_COLUMNS } from './customer-features';
import type { ModelArtifact } from './model-artifact';

/** The model's feature columns the book's feature table lacks; empty when it can score the book. */
export function featuresMissingFromBook(model: ModelArtifact): string[] {
  const book = new Set<string>(CUSTOMER_FEATURE_COLUMNS);
  return model.preprocessing.columns.map((column) => column.name).filter((name) => !book.has(name));
}
