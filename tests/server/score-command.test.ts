// `clm score` with the operator's own model and configuration files: what cannot score the book
// is refused before the database is opened, naming the file and field; what can is published in
// the scoring bundle the desks re-score with, scored on worker threads, and the retention
// programmes' assignments are recorded after it.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIFECYCLE_CONFIG } from '../../shared/analytics/lifecycle/lifecycle-config';
import { DEFAULT_VALUE_CONFIG } from '../../shared/analytics/value/value-config';
import { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import { createCentralApi } from '../../server/app';
import { runScoreCommand } from '../../server/cli/score-command';
import { openPgliteClient } from '../../server/db/pglite-client';
import { mixedRows } from '../analytics/churn-fixtures';
import { envWithoutDatabaseUrl, runClm } from '../support/clm-process';
import { migratedDataDir } from '../support/test-pglite';

const dir = mkdtempSync(path.join(tmpdir(), 'clm-score-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => path.join(dir, name);

function clm(...args: string[]) {
  const run = runClm(args, { env: envWithoutDatabaseUrl() });
  return { ...run, stderr: run.stderr.trim() };
}

describe('clm score refuses, before opening the database,', () => {
  const untouched = file('never-opened');

  it('a model trained on columns the book does not have', () => {
    writeFileSync(
      file('other.csv'),
      `${mixedRows(300, 7)
        .map((row) => row.join(','))
        .join('\n')}\n`,
    );
    const train = clm(
      'model',
      'train',
      '--data',
      file('other.csv'),
      '--target',
      'churn',
      '--positive',
      'Yes',
      '--id',
      'id',
      '--algo',
      'logit',
      '--out',
      file('other.json'),
    );
    expect(train.code, train.stderr).toBe(0);

    const score = clm('score', '--model', file('other.json'), '--data-dir', untouched);
    expect(score.code).toBe(2);
    expect(score.stderr).toMatch(/needs columns the book's features do not have: tenure, charges, contract \(the book has customer_id, tenure_months/);
    expect(existsSync(untouched)).toBe(false);
  });

  it('a missing model file, or a worker count that is not a whole number', () => {
    expect(clm('score', '--model', file('nonexistent-model.json'), '--data-dir', untouched).code).toBe(2);
    const workers = clm('score', '--workers', 'all', '--data-dir', untouched);
    expect(workers.code).toBe(2);
    expect(workers.stderr).toContain("score: --workers must be a whole number (0 scores on the command's own thread), got 'all'");
    expect(existsSync(untouched)).toBe(false);
  });

  it('a lifecycle configuration with a wrong field, naming the file and the field', () => {
    const broken = { ...DEFAULT_LIFECYCLE_CONFIG, decline: { ...DEFAULT_LIFECYCLE_CONFIG.decline, complaints30d: 'two' } };
    writeFileSync(file('lifecycle.json'), JSON.stringify(broken));
    const score = clm('score', '--lifecycle-config', file('lifecycle.json'), '--data-dir', untouched);
    expect(score.code).toBe(2);
    expect(score.stderr).toContain(`lifecycle config file ${file('lifecycle.json')}: decline.complaints30d:`);
    writeFileSync(file('not-json.json'), '{ version: 1');
    expect(clm('score', '--value-config', file('not-json.json'), '--data-dir', untouched).stderr).toMatch(/value config file .* is not JSON/);
    expect(existsSync(untouched)).toBe(false);
  });
});

describe('clm score with lifecycle and value configuration files', () => {
  it('publishes them in the scoring bundle, so desks assess with the same thresholds and value economics', { timeout: 240_000 }, async () => {
    // On a copy of the run's migrated template: the API then seeds the book without running initdb and the migrations again.
    const dataDir = await migratedDataDir(file('book'));
    const api = await createCentralApi({ dataDir, demo: true, seedCustomers: 300, tokenSecret: 'score-test', ctiKey: 'score-test' });
    await api.close();
    const operatorConfig = { ...DEFAULT_LIFECYCLE_CONFIG, version: 'lifecycle-operator-7', acquisitionMonths: 3 };
    writeFileSync(file('operator-lifecycle.json'), JSON.stringify(operatorConfig));
    const operatorValue = { ...DEFAULT_VALUE_CONFIG, version: 'value-operator-3', marginRate: 0.3, tierShares: { platinum: 0.02, gold: 0.1, silver: 0.2 } };
    writeFileSync(file('operator-value.json'), JSON.stringify(operatorValue));

    // In this process (a child would compile PGlite again): the command's exit codes are the refusals' business above.
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(String(line)));
    try {
      await runScoreCommand([
        '--lifecycle-config',
        file('operator-lifecycle.json'),
        '--value-config',
        file('operator-value.json'),
        '--workers',
        '2',
        '--data-dir',
        dataDir,
      ]);
    } finally {
      log.mockRestore();
    }
    // Without --model the registry's champion (the demo seed registered one) scores the book: no new model is trained.
    const seeded = await openPgliteClient(dataDir);
    const [champion] = await seeded.query<{ model_id: string }>("SELECT model_id FROM model_versions WHERE status = 'champion'");
    await seeded.close();
    expect(printed).toContainEqual(expect.stringMatching(new RegExp(`^scored 300 customers on pglite with ${champion!.model_id} and 2 worker threads`)));
    // The warned customers' programme assignments are still recorded after the threads' scores.
    expect(printed).toContainEqual(expect.stringMatching(/^retention programmes: \d+ new assignments$/));

    const db = await openPgliteClient(dataDir);
    try {
      const [row] = await db.query<{ data: unknown }>('SELECT data FROM scoring_bundles');
      expect(ScoringBundle.pick({ lifecycle: true, value: true }).parse(row?.data)).toEqual({ lifecycle: operatorConfig, value: operatorValue });
      // An operator's book with no registered model yet: the first run trains one and registers it as champion.
      await db.query('DELETE FROM model_predictions');
      await db.query('DELETE FROM model_champion_changes');
      await db.query('DELETE FROM model_versions');
    } finally {
      await db.close();
    }
    const firstRun: string[] = [];
    const firstLog = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void firstRun.push(String(line)));
    try {
      await runScoreCommand(['--workers', '0', '--data-dir', dataDir]);
    } finally {
      firstLog.mockRestore();
    }
    const trained = firstRun.map((line) => /^model registry: (\S+) registered as champion/.exec(line)?.[1]).find(Boolean);
    expect(trained, firstRun.join('\n')).toMatch(/^book-/);
    const registry = await openPgliteClient(dataDir);
    try {
      expect(await registry.query("SELECT model_id FROM model_versions WHERE status = 'champion'")).toEqual([{ model_id: trained }]);
    } finally {
      await registry.close();
    }
  });
});
