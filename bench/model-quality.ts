// `npm run bench:model`: churn-model quality on the two real data sets next to the
// scikit-learn reference figures, and batch-scoring throughput. Data is read in place from
// ../shared/data (never copied into the project); results also go to bench/results-model.json.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsvFile } from '../server/cli/model-commands/read-csv-file';
import { toCsvTable, type StringRows } from '../shared/analytics/dataset/csv-table';
import type { FeatureMatrix } from '../shared/analytics/dataset/feature-matrix';
import { readLabels } from '../shared/analytics/dataset/labels';
import type { ClassificationMetrics } from '../shared/analytics/metrics';
import type { ModelArtifact } from '../shared/analytics/model-artifact';
import type { Algo } from '../shared/analytics/models/churn-model';
import { seededRandom } from '../shared/analytics/random';
import { stratifiedSplit } from '../shared/analytics/sampling';
import { createBatchScorer, evaluateModel } from '../shared/analytics/score-rows';
import { trainChurnModel } from '../shared/analytics/train-churn-model';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataRoot = resolve(repoRoot, '../shared/data');
const ALGOS: Algo[] = ['logit', 'gbdt'];
const MAIN_SEED = 42;
const EXTRA_SEEDS = [1, 2, 3, 4];
const THROUGHPUT_ROWS = 1_000_000;

interface Dataset {
  name: string;
  file: string;
  target: string;
  positive: string;
  idColumn: string | null;
  /** Published scikit-learn test AUCs for these data sets. */
  reference: Record<Algo, number>;
}

const DATASETS: Dataset[] = [
  {
    name: 'IBM Telco',
    file: 'ibm-telco/telco-customer-churn.csv',
    target: 'Churn',
    positive: 'Yes',
    idColumn: 'customerID',
    reference: { logit: 0.842, gbdt: 0.834 },
  },
  {
    name: 'BigML churn-80',
    file: 'bigml-churn/churn-bigml-80.csv',
    target: 'Churn',
    positive: 'True',
    idColumn: null,
    reference: { logit: 0.815, gbdt: 0.914 },
  },
];

interface Run {
  dataset: string;
  algo: Algo;
  seed: number;
  metrics: ClassificationMetrics;
  fitSeconds: number;
  model: ModelArtifact;
}

const subset = (rows: StringRows, indices: Uint32Array): string[][] => [rows[0] as string[], ...Array.from(indices, (i) => rows[i + 1] as string[])];

function runOnce(dataset: Dataset, rows: StringRows, labels: Uint8Array, algo: Algo, seed: number): Run {
  const split = stratifiedSplit(labels, 0.2, seed);
  const started = performance.now();
  const model = trainChurnModel(subset(rows, split.train), {
    algo,
    target: dataset.target,
    positive: dataset.positive,
    idColumn: dataset.idColumn,
    createdAt: new Date().toISOString(),
    seed,
  });
  const fitSeconds = (performance.now() - started) / 1000;
  const metrics = evaluateModel(model, subset(rows, split.test), dataset.target, dataset.positive);
  return { dataset: dataset.name, algo, seed, metrics, fitSeconds, model };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const sd = (values: number[]) => Math.sqrt(mean(values.map((v) => (v - mean(values)) ** 2)));
const f3 = (value: number) => value.toFixed(3);

function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((row) => (row[k] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, k) => (k < 2 ? cell.padEnd(widths[k] as number) : cell.padStart(widths[k] as number))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
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
  const runs: Run[] = [];
  const loaded = DATASETS.map((dataset) => {
    const rows = readCsvFile(resolve(dataRoot, dataset.file));
    return { dataset, rows, labels: readLabels(toCsvTable(rows), dataset.target, dataset.positive) };
  });
  for (const { dataset, rows, labels } of loaded) {
    for (const algo of ALGOS) for (const seed of [MAIN_SEED, ...EXTRA_SEEDS]) runs.push(runOnce(dataset, rows, labels, algo, seed));
  }

  const bestReference = (dataset: Dataset) => Math.max(...Object.values(dataset.reference));
  const mainRows = runs
    .filter((run) => run.seed === MAIN_SEED)
    .map((run) => {
      const dataset = DATASETS.find((d) => d.name === run.dataset) as Dataset;
      const m = run.metrics;
      return [
        run.dataset,
        run.algo,
        f3(m.auc),
        f3(m.pr_auc),
        f3(m.brier),
        m.top_decile_lift.toFixed(2),
        run.fitSeconds.toFixed(2),
        f3(dataset.reference[run.algo]),
        f3(bestReference(dataset)),
      ];
    });
  printTable(
    `Held-out 20 % (stratified, seed ${MAIN_SEED}); fit = full training incl. 5-fold calibration`,
    ['dataset', 'algo', 'AUC', 'PR AUC', 'Brier', 'lift@10%', 'fit s', 'sklearn same algo', 'best sklearn'],
    mainRows,
  );

  const seeds = [MAIN_SEED, ...EXTRA_SEEDS];
  const summaries = DATASETS.flatMap((dataset) =>
    ALGOS.map((algo) => {
      const mine = runs.filter((run) => run.dataset === dataset.name && run.algo === algo);
      const aucs = mine.map((run) => run.metrics.auc);
      return {
        dataset: dataset.name,
        algo,
        seeds,
        aucMean: mean(aucs),
        aucSd: sd(aucs),
        prAucMean: mean(mine.map((run) => run.metrics.pr_auc)),
        brierMean: mean(mine.map((run) => run.metrics.brier)),
        liftMean: mean(mine.map((run) => run.metrics.top_decile_lift)),
        fitSecondsMean: mean(mine.map((run) => run.fitSeconds)),
        fitSecondsMax: Math.max(...mine.map((run) => run.fitSeconds)),
        referenceSameAlgo: dataset.reference[algo],
        referenceBest: bestReference(dataset),
      };
    }),
  );
  printTable(
    `Mean over ${seeds.length} split seeds (${seeds.join(', ')})`,
    ['dataset', 'algo', 'AUC mean', 'AUC sd', 'PR AUC', 'Brier', 'lift@10%', 'fit s mean', 'fit s max', 'best sklearn', 'at/above best'],
    summaries.map((s) => [
      s.dataset,
      s.algo,
      f3(s.aucMean),
      f3(s.aucSd),
      f3(s.prAucMean),
      f3(s.brierMean),
      s.liftMean.toFixed(2),
      s.fitSecondsMean.toFixed(2),
      s.fitSecondsMax.toFixed(2),
      f3(s.referenceBest),
      s.aucMean >= s.referenceBest ? 'yes' : 'no',
    ]),
  );

  // Throughput on ~1M pre-encoded rows resampled from the IBM feature matrix (built before timing).
  const ibm = loaded[0] as (typeof loaded)[number];
  const throughput = ALGOS.map((algo) => {
    const model = (runs.find((run) => run.dataset === ibm.dataset.name && run.algo === algo && run.seed === MAIN_SEED) as Run).model;
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
    runs: runs.map(({ model: _model, ...run }) => run),
    summaries,
    throughput,
  };
  const out = resolve(repoRoot, 'bench/results-model.json');
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
}

main();
