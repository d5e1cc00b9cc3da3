// The model registry in the central database: register a churn model version with its training
// summary, list them, promote one to champion (publishing it in the scoring bundle, as `clm score`
// and the seed publish theirs) and roll back to the champion it replaced. Every change of champion
// is appended to model_champion_changes with who made it; a rollback is read from that history.
import type { ModelArtifact } from '../../shared/analytics/model-artifact';
import { ModelArtifact as ModelArtifactSchema } from '../../shared/analytics/model-artifact';
import { TrainingSummary } from '../../shared/analytics/monitoring/training-summary';
import { WarningThresholds } from '../../shared/analytics/models/warning-thresholds';
import { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import type { ModelChangeResponse, ModelStatus, ModelVersionSummary } from '../../shared/contract/model-registry';
import type { SqlClient } from '../db/sql-client';
import { publishScoringBundle, readScoringBundleJson } from '../scoring/scoring-bundle-store';

export class ModelRegistryError extends Error {
  override readonly name = 'ModelRegistryError';
  constructor(
    readonly code: 'unknown_model' | 'already_registered' | 'no_bundle' | 'no_earlier_champion' | 'already_champion',
    message: string,
  ) {
    super(message);
  }
}

interface VersionRow {
  model_id: string;
  status: ModelStatus;
  algo: string;
  training_summary: unknown;
  registered_at: Date | string;
  registered_by: string;
  status_changed_at: Date | string;
}

const SUMMARY_COLUMNS = `model_id, status, artifact->'model'->>'algo' AS algo, training_summary, registered_at, registered_by, status_changed_at`;

function summaryOf(row: VersionRow): ModelVersionSummary {
  const summary = TrainingSummary.parse(row.training_summary);
  return {
    modelId: row.model_id,
    status: row.status,
    algo: row.algo,
    registeredAt: new Date(row.registered_at).toISOString(),
    registeredBy: row.registered_by,
    statusChangedAt: new Date(row.status_changed_at).toISOString(),
    trainingRows: summary.rows,
    trainingChurnRate: summary.churnRate,
    features: summary.features,
    metrics: summary.metrics,
  };
}

export interface RegisterModel {
  artifact: ModelArtifact;
  summary: TrainingSummary;
  by: string;
  now: Date;
  /** A new version is a challenger; the seed registers the model it scored the book with as champion. */
  status?: 'challenger' | 'champion';
}

export async function registerModel(db: SqlClient, { artifact, summary, by, now, status = 'challenger' }: RegisterModel): Promise<ModelVersionSummary> {
  const [row] = await db.query<VersionRow>(
    `INSERT INTO model_versions (model_id, status, artifact, training_summary, registered_at, registered_by, status_changed_at)
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $5)
       ON CONFLICT (model_id) DO NOTHING
     RETURNING ${SUMMARY_COLUMNS}`,
    [artifact.modelId, status, JSON.stringify(artifact), JSON.stringify(TrainingSummary.parse(summary)), now.toISOString(), by],
  );
  if (row === undefined)
    throw new ModelRegistryError(
      'already_registered',
      `model ${artifact.modelId} is already registered (a version is never replaced; give the new one its own id)`,
    );
  return summaryOf(row);
}

export async function listModels(db: SqlClient): Promise<ModelVersionSummary[]> {
  const rows = await db.query<VersionRow>(`SELECT ${SUMMARY_COLUMNS} FROM model_versions ORDER BY registered_at DESC, model_id`);
  return rows.map(summaryOf);
}

/** The champion, and the challenger registered last (the one the shadow pass scores by default). */
export async function championAndChallenger(db: SqlClient): Promise<{ champion: ModelVersionSummary | null; challenger: ModelVersionSummary | null }> {
  const versions = await listModels(db);
  return { champion: versions.find((v) => v.status === 'champion') ?? null, challenger: versions.find((v) => v.status === 'challenger') ?? null };
}

export async function readModelVersion(db: SqlClient, modelId: string): Promise<{ artifact: ModelArtifact; summary: TrainingSummary; status: ModelStatus }> {
  const [row] = await db.query<{ artifact: unknown; training_summary: unknown; status: ModelStatus }>(
    'SELECT artifact, training_summary, status FROM model_versions WHERE model_id = $1',
    [modelId],
  );
  if (row === undefined) throw new ModelRegistryError('unknown_model', `no registered model ${modelId} (clm model list shows them)`);
  return { artifact: ModelArtifactSchema.parse(row.artifact), summary: TrainingSummary.parse(row.training_summary), status: row.status };
}

const MODEL_THRESHOLDS = `SELECT model_id, artifact->'thresholds' AS thresholds FROM model_versions WHERE $1::text[] IS NULL OR model_id = ANY($1::text[])`;

/** The warning thresholds of each registered model among those given (a model no longer registered has none), or of every one. */
export async function thresholdsOfModels(db: SqlClient, modelIds: Iterable<string> | 'every model'): Promise<Map<string, WarningThresholds>> {
  const rows = await db.query<{ model_id: string; thresholds: unknown }>(MODEL_THRESHOLDS, [modelIds === 'every model' ? null : [...new Set(modelIds)]]);
  return new Map(rows.map((r) => [r.model_id, WarningThresholds.parse(r.thresholds)]));
}

/** The champion's model, or null before any model is registered. */
export async function championArtifact(db: SqlClient): Promise<ModelArtifact | null> {
  const [row] = await db.query<{ artifact: unknown }>("SELECT artifact FROM model_versions WHERE status = 'champion'");
  return row === undefined ? null : ModelArtifactSchema.parse(row.artifact);
}

/** The published bundle with `model` in place of its model; configurations and book calibration stay. */
async function publishModel(tx: SqlClient, model: ModelArtifact, now: Date): Promise<number> {
  const stored = await readScoringBundleJson(tx);
  if (stored === null)
    throw new ModelRegistryError('no_bundle', 'the book has not been scored yet (run clm score first): there is no scoring bundle to publish the model in');
  const { lifecycle, value, calibration } = ScoringBundle.parse(JSON.parse(stored.json));
  return (await publishScoringBundle(tx, { model, lifecycle, value, calibration }, now)).version;
}

async function makeChampion(
  db: SqlClient,
  action: 'promote' | 'rollback',
  by: string,
  now: Date,
  /** The model to make champion, chosen inside the transaction (a rollback reads the history). */
  target: (tx: SqlClient, currentChampion: string | null) => Promise<string>,
): Promise<ModelChangeResponse> {
  return db.transaction(async (tx) => {
    // Serialises champion changes: the row lock on the current champion (or none) plus the unique index.
    const [current] = await tx.query<{ model_id: string }>(`SELECT model_id FROM model_versions WHERE status = 'champion' FOR UPDATE`);
    const replaced = current?.model_id ?? null;
    const chosen = await target(tx, replaced);
    const { artifact } = await readModelVersion(tx, chosen);
    if (chosen === replaced) throw new ModelRegistryError('already_champion', `model ${chosen} is already the champion`);
    await tx.query(`UPDATE model_versions SET status = 'retired', status_changed_at = $2 WHERE model_id = $1`, [replaced, now.toISOString()]);
    await tx.query(`UPDATE model_versions SET status = 'champion', status_changed_at = $2 WHERE model_id = $1`, [chosen, now.toISOString()]);
    const bundleVersion = await publishModel(tx, artifact, now);
    await tx.query(
      `INSERT INTO model_champion_changes (action, model_id, replaced_id, bundle_version, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [action, chosen, replaced, bundleVersion, by, now.toISOString()],
    );
    return { champion: chosen, replaced, bundleVersion };
  });
}

/** Makes `modelId` the champion and publishes it to the desks; the champion it replaces is retired. */
export function promoteModel(db: SqlClient, modelId: string, by: string, now: Date): Promise<ModelChangeResponse> {
  return makeChampion(db, 'promote', by, now, async () => modelId);
}

/**
 * Brings back the champion the current one replaced when it was promoted, and publishes it. Rolling
 * back again goes one further back (promotions are a stack; rollbacks do not add to it).
 */
export function rollbackModel(db: SqlClient, by: string, now: Date): Promise<ModelChangeResponse> {
  return makeChampion(db, 'rollback', by, now, async (tx, champion) => {
    const [promotion] = await tx.query<{ replaced_id: string | null }>(
      `SELECT replaced_id FROM model_champion_changes WHERE action = 'promote' AND model_id = $1 ORDER BY id DESC LIMIT 1`,
      [champion],
    );
    if (promotion?.replaced_id == null)
      throw new ModelRegistryError(
        'no_earlier_champion',
        `there is no earlier champion to roll back to${champion === null ? ' (no champion yet)' : ` from ${champion}`}`,
      );
    return promotion.replaced_id;
  });
}
