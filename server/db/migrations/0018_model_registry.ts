import type { Migration } from './migration';

export const migration0018ModelRegistry: Migration = {
  version: 18,
  name: 'Model registry, champion history and stored predictions for monitoring',
  statements: [
    // One row per registered churn model: the artefact as registered and its training summary
    // (rows, churn rate, features, their distributions, metrics at training).
    `CREATE TABLE model_versions (
      model_id          text PRIMARY KEY,
      status            text NOT NULL CHECK (status IN ('champion', 'challenger', 'retired')),
      artifact          jsonb NOT NULL,
      training_summary  jsonb NOT NULL,
      registered_at     timestamptz NOT NULL,
      registered_by     text NOT NULL,
      status_changed_at timestamptz NOT NULL
    )`,
    // At most one champion: two promotions racing cannot both win.
    `CREATE UNIQUE INDEX model_versions_one_champion ON model_versions ((status)) WHERE status = 'champion'`,
    // Append-only history of who made which model champion and which it replaced; a rollback reads it.
    `CREATE TABLE model_champion_changes (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      action         text NOT NULL CHECK (action IN ('promote', 'rollback')),
      model_id       text NOT NULL REFERENCES model_versions (model_id),
      replaced_id    text REFERENCES model_versions (model_id),
      bundle_version integer NOT NULL,
      changed_by     text NOT NULL,
      changed_at     timestamptz NOT NULL
    )`,
    // Predictions kept for measuring on realised churn: the champion's as the cards showed them and a
    // challenger's shadow scores, which never reach a card.
    `CREATE TABLE model_predictions (
      model_id    text NOT NULL,
      customer_id text NOT NULL,
      scored_on   date NOT NULL,
      role        text NOT NULL CHECK (role IN ('champion', 'shadow')),
      probability double precision NOT NULL CHECK (probability >= 0 AND probability <= 1),
      PRIMARY KEY (role, model_id, scored_on, customer_id)
    )`,
    'CREATE INDEX model_predictions_customer ON model_predictions (customer_id, scored_on)',
  ],
};
