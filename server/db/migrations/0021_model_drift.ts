import type { Migration } from './migration';

export const migration0021ModelDrift: Migration = {
  version: 21,
  name: 'Feature drift of the champion, measured when the book is scored',
  statements: [
    // The population stability index of each feature between a model's training data and the active
    // book, computed by the seed, `clm score` and `clm model shadow` (one pass over the book each),
    // so the models report reads the figures instead of parsing the whole book on every request. The
    // figures belong to the version: they go with it.
    `CREATE TABLE model_drift (
      id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      model_id    text NOT NULL REFERENCES model_versions (model_id) ON DELETE CASCADE,
      computed_at timestamptz NOT NULL,
      customers   integer NOT NULL CHECK (customers >= 0),
      psi         jsonb NOT NULL
    )`,
    'CREATE INDEX model_drift_latest ON model_drift (model_id, computed_at DESC)',
  ],
};
