// `npm run bench:model`: the churn model as training chooses it (cross-validated among logit, trees
// and their average, shared/analytics/model-selection.ts) against scikit-learn's
// HistGradientBoostingClassifier and LogisticRegression with default settings, fitted by
// bench/sklearn-baseline.py on the same splits in the same run; then batch-scoring throughput.
// Data is read in place from ../shared/data (never copied into the project); the split rows go to
// Python through temporary CSV files. Results also go to bench/results-model.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { readCsvFile } from '../server/cli/model-commands/read-csv-file';
import { toCsvTable, type StringRows } from '../shared/analytics/dataset/csv-table';
import type { FeatureMatrix } from '../shared/analytics/dataset/feature-matrix';
import { readLabels } from '../shared/analytics/dataset/labels';
import { classificationMetrics, type ClassificationMetrics } from '../shared/analytics/metrics';
import type { ModelArtifact } from '../shared/analytics/model-artifact';
import { ALGOS } from '../shared/analytics/models/churn-model';
import { seededRandom } from '../shared/analytics/random';
import { stratifiedSplit } from '../shared/analytics/sampling';
import { createBatchScorer, evaluateModel } from '../shared/analytics/score-rows';
import { trainChurnModel } from '../shared/analytics/train-churn-model';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataRoot = resolve(repoRoot, '../shared/data');
const SKLEARN_SCRIPT = resolve(repoRoot, 'bench/sklearn-baseline.py');
/** Interpreters tried for scikit-learn, first that imports it wins (pyenv shims can shadow Debian's python3). */
const PYTHONS = [process.env.CLM_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => p !== undefined && p !== '');
const SEEDS = [42, 1, 2, 3, 4];
const TEST_FRACTION = 0.2;
const THROUGHPUT_ROWS = 1_000_000;
const CREATED_AT = '2026-01-01T00:00:00Z';

interface Dataset {
  name: string;
  /** Folder under ../shared/data and file in it. */
  folder: string;
  file: string;
  target: string;
  positive: string;
  idColumn: string | null;
}

const DATASETS: Dataset[] = [
  { name: 'IBM Telco', folder: 'ibm-telco', file: 'telco-customer-churn.csv', target: 'Churn', positive: 'Yes', idColumn: 'customerID' },
  { name: 'BigML churn-80', folder: 'bigml-churn', file: 'churn-bigml-80.csv', target: 'Churn', positive: 'True', idColumn: null },
];

type Reference = 'hgb' | 'lr';

interface SplitResult {
  dataset: string;
  seed: number;
  trainRows: number;
  testRows: number;
  chosen: string;
  fitSeconds: number;
  ours: ClassificationMetrics;
  /** Null when scikit-learn is not installed. */
  reference: Record<Reference, ClassificationMetrics> | null;
  /** Ours at least the best reference AUC and at most the best reference Brier; null without references. */
  met: boolean | null;
}

const subset = (rows: StringRows, indices: Uint32Array): string[][] => [rows[0] as string[], ...Array.from(indices, (i) => rows[i + 1] as string[])];
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const f3 = (value: number) => value.toFixed(3);

function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((row) => (row[k] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, k) => (k < 2 ? cell.padEnd(widths[k] as number) : cell.padStart(widths[k] as number))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

const markdownTable = (header: string[], rows: string[][]) => [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

/** The first interpreter that imports scikit-learn, or null. */
function findSklearnPython(): string | null {
  for (const python of PYTHONS) {
    const probe = spawnSync(python, ['-c', 'import sklearn'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return null;
}

/** scikit-learn's probabilities for the test rows, through bench/sklearn-baseline.py. */
function sklearnProbabilities(python: string, dataset: Dataset, train: StringRows, test: StringRows): Record<Reference, Float64Array> {
  const dir = mkdtempSync(join(tmpdir(), 'clm-bench-model-'));
  try {
    const file = (name: string) => join(dir, name);
    writeFileSync(file('train.csv'), Papa.unparse(train as string[][], { newline: '\n' }));
    writeFileSync(file('test.csv'), Papa.unparse(test as string[][], { newline: '\n' }));
    const spec = {
      train: file('train.csv'),
      test: file('test.csv'),
      target: dataset.target,
      positive: dataset.positive,
      idColumn: dataset.idColumn,
      out: file('out.csv'),
    };
    writeFileSync(file('spec.json'), JSON.stringify(spec));
    // One thread: OpenMP workers spinning on two shared cores made HistGradientBoosting 20× slower.
    const run = spawnSync(python, [SKLEARN_SCRIPT, file('spec.json')], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
    if (run.status !== 0) throw new Error(`${SKLEARN_SCRIPT} failed (${run.status}): ${run.stderr.trim()}`);
    const [header, ...lines] = readFileSync(file('out.csv'), 'utf8').trim().split(/\r?\n/);
    if (header !== 'hgb,lr' || lines.length !== test.length - 1)
      throw new Error(`${SKLEARN_SCRIPT} wrote ${lines.length} predictions for ${test.length - 1} rows`);
    const column = (k: number) => Float64Array.from(lines, (line) => Number(line.split(',')[k]));
    return { hgb: column(0), lr: column(1) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runSplit(dataset: Dataset, rows: StringRows, labels: Uint8Array, seed: number, python: string | null): SplitResult {
  const split = stratifiedSplit(labels, TEST_FRACTION, seed);
  const train = subset(rows, split.train);
  const test = subset(rows, split.test);
  const started = performance.now();
  const model = trainChurnModel(train, {
    algo: 'auto',
    target: dataset.target,
    positive: dataset.positive,
    idColumn: dataset.idColumn,
    createdAt: CREATED_AT,
    seed,
  });
  const fitSeconds = (performance.now() - started) / 1000;
  const ours = evaluateModel(model, test, dataset.target, dataset.positive);
  const testLabels = readLabels(toCsvTable(test), dataset.target, dataset.positive);
  const referenceStarted = performance.now();
  const probabilities = python === null ? null : sklearnProbabilities(python, dataset, train, test);
  const referenceSeconds = (performance.now() - referenceStarted) / 1000;
  const reference =
    probabilities === null ? null : { hgb: classificationMetrics(probabilities.hgb, testLabels), lr: classificationMetrics(probabilities.lr, testLabels) };
  const met =
    reference === null ? null : ours.auc >= Math.max(reference.hgb.auc, reference.lr.auc) && ours.brier <= Math.min(reference.hgb.brier, reference.lr.brier);
  const chosen = model.validation.selection?.chosen ?? model.model.algo;
  console.log(
    `${dataset.name} seed ${seed}: ${chosen}, AUC ${f3(ours.auc)}, Brier ${f3(ours.brier)}, fit ${fitSeconds.toFixed(1)} s; scikit-learn ${referenceSeconds.toFixed(1)} s`,
  );
  return { dataset: dataset.name, seed, trainRows: split.train.length, testRows: split.test.length, chosen, fitSeconds, ours, reference, met };
}

/** Rows/s of the best of `repeats` timed runs (after one warm-up). */
function rowsPerSecond(rows: number, repeats: number, run: () => void): number {
  run();
  let best = Number.POSITIVE_INFINITY;
  for (let k = 0; k < repeats; k++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return rows / (best / 1000);
}

/** A bare weighted sum over every cell of the matrix: the floor any scorer has to pay to read it. */
function dotProducts(matrix: FeatureMatrix, weights: Float64Array, out: Float64Array): void {
  const { width, values } = matrix;
  for (let i = 0; i < matrix.rows; i++) {
    let sum = 0;
    for (let j = 0; j < width; j++) sum += (weights[j] as number) * (values[i * width + j] as number);
    out[i] = sum;
  }
}

function resampledMatrix(source: FeatureMatrix, rows: number, seed: number): FeatureMatrix {
  const random = seededRandom(seed);
  const values = new Float64Array(rows * source.width);
  for (let i = 0; i < rows; i++) {
    const from = random.int(source.rows) * source.width;
    values.set(source.values.subarray(from, from + source.width), i * source.width);
  }
  return { rows, width: source.width, values };
}

function main(): void {
  console.log(`churn model benchmark: node ${process.version}, ${cpus().length} cores; data from ${dataRoot}`);
  const unlisted = readdirSync(dataRoot).filter((folder) => !DATASETS.some((d) => d.folder === folder));
  if (unlisted.length > 0) console.log(`not benchmarked (no entry in DATASETS): ${unlisted.join(', ')}`);
  const python = findSklearnPython();
  if (python === null) console.log(`scikit-learn baseline skipped: none of ${PYTHONS.join(', ')} imports sklearn (Debian: apt-get install python3-sklearn)`);
  else console.log(`scikit-learn baseline: ${python} ${SKLEARN_SCRIPT}`);

  const loaded = DATASETS.map((dataset) => {
    const rows = readCsvFile(resolve(dataRoot, dataset.folder, dataset.file));
    return { dataset, rows, labels: readLabels(toCsvTable(rows), dataset.target, dataset.positive) };
  });
  const splits = loaded.flatMap(({ dataset, rows, labels }) => SEEDS.map((seed) => runSplit(dataset, rows, labels, seed, python)));

  const pair = (m: ClassificationMetrics | undefined) => (m === undefined ? ['—', '—'] : [f3(m.auc), f3(m.brier)]);
  const header = ['data set', 'split', 'ours AUC', 'ours Brier', 'HGB AUC', 'HGB Brier', 'LR AUC', 'LR Brier', 'met', 'chosen'];
  const rowsOf = (results: SplitResult[]) =>
    results.map((r) => [
      r.dataset,
      `seed ${r.seed}`,
      ...pair(r.ours),
      ...pair(r.reference?.hgb),
      ...pair(r.reference?.lr),
      r.met === null ? '—' : r.met ? 'met' : 'unmet',
      r.chosen,
    ]);
  const meanOf = (results: SplitResult[], pick: (r: SplitResult) => ClassificationMetrics | undefined) => {
    const metrics = results.map(pick).filter((m): m is ClassificationMetrics => m !== undefined);
    return metrics.length === 0 ? undefined : ({ auc: mean(metrics.map((m) => m.auc)), brier: mean(metrics.map((m) => m.brier)) } as ClassificationMetrics);
  };
  const meanRows = DATASETS.map((dataset) => {
    const mine = splits.filter((r) => r.dataset === dataset.name);
    const met = mine.filter((r) => r.met === true).length;
    return [
      dataset.name,
      `mean of ${mine.length}`,
      ...pair(meanOf(mine, (r) => r.ours)),
      ...pair(meanOf(mine, (r) => r.reference?.hgb)),
      ...pair(meanOf(mine, (r) => r.reference?.lr)),
      python === null ? '—' : `${met} of ${mine.length}`,
      '',
    ];
  });
  const tableRows = [...rowsOf(splits), ...meanRows];
  printTable(
    `Held-out ${TEST_FRACTION * 100} % (stratified splits, seeds ${SEEDS.join(', ')}); met = ours ≥ the better AUC and ≤ the better Brier of HGB and LR`,
    header,
    tableRows,
  );
  console.log(
    `\n${markdownTable(
      header.slice(0, 9),
      tableRows.map((row) => row.slice(0, 9)),
    )}`,
  );

  // Throughput on ~1M pre-encoded rows resampled from the IBM feature matrix (built before timing).
  const ibm = loaded[0] as (typeof loaded)[number];
  const ibmTrain = subset(ibm.rows, stratifiedSplit(ibm.labels, TEST_FRACTION, SEEDS[0] as number).train);
  const throughput = [...ALGOS].reverse().map((algo) => {
    const model: ModelArtifact = trainChurnModel(ibmTrain, {
      algo,
      target: ibm.dataset.target,
      positive: ibm.dataset.positive,
      idColumn: ibm.dataset.idColumn,
      createdAt: CREATED_AT,
    });
    const scorer = createBatchScorer(model);
    const matrix = resampledMatrix(scorer.encode(ibm.rows), THROUGHPUT_ROWS, 7);
    const out = new Float64Array(matrix.rows);
    const weights = Float64Array.from({ length: matrix.width }, (_, j) => 1 / (j + 1));
    const modelRate = rowsPerSecond(matrix.rows, 3, () => scorer.probabilities(matrix, out));
    const baselineRate = rowsPerSecond(matrix.rows, 3, () => dotProducts(matrix, weights, out));
    const trees = model.model.algo === 'gbdt' ? model.model.trees.length : 0;
    return {
      algo,
      rows: matrix.rows,
      width: matrix.width,
      trees,
      rowsPerSecond: modelRate,
      baselineRowsPerSecond: baselineRate,
      ratioToBaseline: modelRate / baselineRate,
      goal: algo === 'logit' ? 500_000 : 100_000,
    };
  });
  printTable(
    `Batch scoring throughput (${THROUGHPUT_ROWS.toLocaleString('en')} IBM-encoded rows, calibrated probabilities; baseline = bare dot product over the same matrix)`,
    ['algo', 'model', 'rows/s', 'baseline rows/s', 'ratio', 'goal rows/s', 'met'],
    throughput.map((t) => [
      t.algo,
      t.algo === 'gbdt' ? `${t.trees} trees` : `${t.width} columns`,
      Math.round(t.rowsPerSecond).toLocaleString('en'),
      Math.round(t.baselineRowsPerSecond).toLocaleString('en'),
      t.ratioToBaseline.toFixed(2),
      t.goal.toLocaleString('en'),
      t.rowsPerSecond >= t.goal ? 'yes' : 'no',
    ]),
  );

  const results = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    cores: cpus().length,
    sklearnPython: python,
    splits,
    table: { header, rows: tableRows },
    throughput,
  };
  const out = resolve(repoRoot, 'bench/results-model.json');
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
}

main();
