// `clm model register|list|promote|rollback|shadow` in this process on a data folder holding a small
// scored book (copied from the demo template): the promoted model is the one the scoring bundle then
// carries, a refusal is one line with exit code 2, and the shadow pass scores the challenger's share.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import { Customer, CustomerScore } from '../../shared/contract/entities';
import { ModelVersionList } from '../../shared/contract/model-registry';
import { openPgliteClient } from '../../server/db/pglite-client';
import { publishScoringBundle, readScoringBundleJson } from '../../server/scoring/scoring-bundle-store';
import { upsertCustomers, upsertScores } from '../../server/sync/change-log';
import { envWithoutDatabaseUrl, runClmInProcess } from '../support/clm-process';
import { migratedDataDir, openDemoPglite } from '../support/test-pglite';

const scratch = mkdtempSync(path.join(tmpdir(), 'clm-model-cli-'));
const dataDir = path.join(scratch, 'db');
const clm = (args: string[]) => runClmInProcess(['model', ...args, '--data-dir', dataDir], { env: envWithoutDatabaseUrl() });
let seedModelId = '';

/** A model file: the book's own model under another id. */
function modelFile(modelId: string): string {
  const file = path.join(scratch, `${modelId}.json`);
  writeFileSync(file, JSON.stringify({ ...bundle!.model, modelId }));
  return file;
}
let bundle: ScoringBundle | null = null;

beforeAll(async () => {
  const demo = await openDemoPglite(200);
  try {
    const stored = await readScoringBundleJson(demo.db);
    bundle = ScoringBundle.parse(JSON.parse(stored!.json));
    seedModelId = bundle.model.modelId;
    const customers = (await demo.db.query<{ data: unknown }>('SELECT data FROM customers ORDER BY id')).map((r) => Customer.parse(r.data));
    const scores = (await demo.db.query<{ data: unknown }>('SELECT data FROM scores ORDER BY customer_id')).map((r) => CustomerScore.parse(r.data));
    const db = await openPgliteClient(await migratedDataDir(dataDir));
    try {
      await db.transaction(async (tx) => {
        await upsertCustomers(tx, customers);
        await upsertScores(tx, scores);
        await publishScoringBundle(tx, bundle!, new Date());
      });
    } finally {
      await db.close();
    }
  } finally {
    await demo.dispose();
  }
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function publishedModelId(): Promise<string> {
  const db = await openPgliteClient(dataDir);
  try {
    return ScoringBundle.parse(JSON.parse((await readScoringBundleJson(db))!.json)).model.modelId;
  } finally {
    await db.close();
  }
}

describe('clm model', () => {
  it('registers the published model and a model file, and lists them', async () => {
    const published = await clm(['register', '--published', '--by', 'ops']);
    expect(published.stderr).toBe('');
    expect(published.stdout).toContain(`registered ${seedModelId} (gbdt) as challenger`);
    expect(published.stdout).toContain('counted in the active book today');
    expect((await clm(['register', '--model', modelFile('cli-next'), '--by', 'ops'])).code).toBe(0);

    const again = await clm(['register', '--published']);
    expect(again).toMatchObject({
      code: 2,
      stderr: `clm: model: model ${seedModelId} is already registered (a version is never replaced; give the new one its own id)\n`,
    });
    const listed = ModelVersionList.parse(JSON.parse((await clm(['list', '--json'])).stdout));
    expect(listed.versions.map((v) => [v.modelId, v.status, v.registeredBy]).sort((a, b) => a[0]!.localeCompare(b[0]!))).toEqual([
      [seedModelId, 'challenger', 'ops'],
      ['cli-next', 'challenger', 'ops'],
    ]);
  });

  it('promotes into the scoring bundle and rolls back to the champion before', async () => {
    expect((await clm(['promote', '--model-id', seedModelId])).code).toBe(0);
    const promoted = await clm(['promote', '--model-id', 'cli-next']);
    expect(promoted.stdout).toMatch(new RegExp(`^cli-next is the champion \\(replaced ${seedModelId}, now retired\\); scoring bundle version \\d+\\n$`));
    expect(await publishedModelId()).toBe('cli-next');

    expect((await clm(['rollback'])).stdout).toContain(`rolled back to ${seedModelId} (cli-next retired)`);
    expect(await publishedModelId()).toBe(seedModelId);
    expect(await clm(['rollback'])).toMatchObject({ code: 2, stderr: `clm: model: there is no earlier champion to roll back to from ${seedModelId}\n` });
    expect((await clm(['promote'])).stderr).toBe('clm: model promote: missing required flag --model-id\n');
  });

  it('keeps the champion scores and scores the challenger in shadow for its share', async () => {
    expect((await clm(['register', '--model', modelFile('cli-shadow')])).code).toBe(0);
    const run = await clm(['shadow', '--share', '0.5']);
    expect(run.stderr).toBe('');
    const [kept, shadow] = run.stdout.trim().split('\n');
    const champion = Number(/kept (\d+) champion scores/.exec(kept!)?.[1]);
    const shadowed = Number(/cli-shadow scored (\d+) customers in shadow \(50 % of the active book; never shown on cards\)/.exec(shadow!)?.[1]);
    expect(champion).toBeGreaterThan(100);
    expect(shadowed).toBeGreaterThan(champion * 0.35);
    expect(shadowed).toBeLessThan(champion * 0.65);
    expect((await clm(['shadow', '--share', '0'])).stderr).toBe('clm: model shadow: --share must be a number above 0 and at most 1, not "0"\n');
  });
});
