// One table for every benchmark: plain text for the terminal, markdown for bench/LATEST.md,
// and the full report as bench/results.json.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MachineInfo } from './machine';
import type { BenchResult, Measurement } from './result';

export interface BenchReport {
  date: string;
  machine: MachineInfo;
  rows: number;
  totalSeconds: number;
  /**
   * 1-minute load average before and after: the machine may be shared (other builds and tests),
   * and a busy start means pessimistic figures.
   */
  loadAverage: { atStart: number; atEnd: number };
  /** Shared setup outside every timed section (fixtures), with what it cost. */
  setup: string[];
  benchmarks: BenchResult[];
}

const COLUMNS = ['benchmark', 'measure', 'figure', 'baseline (same run)', 'ratio', 'goal', 'met'] as const;

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  // Tiny ratios (a 1,000-row page against a trivial route) keep two significant digits.
  if (magnitude > 0 && magnitude < 0.001) return value.toPrecision(2);
  const digits = Number.isInteger(value) || magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const withUnit = (value: number, unit: string) => `${formatNumber(value)} ${unit}`.trim();

function measurementCells(bench: BenchResult, m: Measurement): string[] {
  return [
    bench.title,
    m.metric,
    withUnit(m.value, m.unit),
    m.baseline === undefined ? '' : `${withUnit(m.baseline.value, m.baseline.unit)} (${m.baseline.label})`,
    m.ratio === undefined ? '' : `${formatNumber(m.ratio)}×`,
    m.goal?.text ?? '',
    m.goal === undefined ? '' : m.goal.met ? 'yes' : 'NO',
  ];
}

function tableRows(benchmarks: readonly BenchResult[]): string[][] {
  return benchmarks.flatMap((bench) =>
    bench.status !== 'ok'
      ? [[bench.title, bench.status, bench.reason ?? '', '', '', '', '']]
      : bench.measurements.length === 0
        ? [[bench.title, 'ok', 'no figures reported: see notes', '', '', '', '']]
        : bench.measurements.map((m) => measurementCells(bench, m)),
  );
}

export function renderTextTable(benchmarks: readonly BenchResult[]): string {
  const rows = [[...COLUMNS], ...tableRows(benchmarks)];
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((row) => [...(row[c] ?? '')].length)));
  const line = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ');
  return [line(rows[0] ?? []), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join('\n');
}

/** Each benchmark's notes under a heading line; `heading` styles it (plain or markdown bold). */
function renderNotes(benchmarks: readonly BenchResult[], bullet: string, heading: (text: string) => string): string {
  return benchmarks
    .filter((bench) => bench.notes.length > 0)
    .map((bench) => [heading(`${bench.title} (${formatNumber(bench.seconds)} s):`), ...bench.notes.map((note) => `${bullet}${note}`)].join('\n'))
    .join(bullet === '- ' ? '\n\n' : '\n');
}

export function machineLine(report: Pick<BenchReport, 'date' | 'machine' | 'rows' | 'loadAverage'>): string {
  const m = report.machine;
  const load = `load avg ${report.loadAverage.atStart.toFixed(2)} before, ${report.loadAverage.atEnd.toFixed(2)} after`;
  return `${report.date} · ${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM · Node ${m.node} · SQLite ${m.sqlite} · ${m.os} · CLM_BENCH_ROWS=${report.rows.toLocaleString('en-US')} · ${load}`;
}

export function renderText(report: BenchReport): string {
  const setup = report.setup.map((line) => `setup: ${line}`);
  return [
    machineLine(report),
    ...setup,
    '',
    renderTextTable(report.benchmarks),
    '',
    renderNotes(report.benchmarks, '  - ', (text) => text),
    '',
    `total: ${formatNumber(report.totalSeconds)} s`,
  ].join('\n');
}

export function renderMarkdown(report: BenchReport): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const rows = tableRows(report.benchmarks).map((row) => `| ${row.map(escape).join(' | ')} |`);
  return [
    '<!-- Written by `npm run bench` (bench/run-all.ts); paste into the README. -->',
    `**Benchmarks** (${machineLine(report)}; whole run ${formatNumber(report.totalSeconds / 60)} min)`,
    '',
    ...report.setup.map((line) => `Setup (not timed): ${line}`),
    '',
    `| ${COLUMNS.join(' | ')} |`,
    `|${COLUMNS.map(() => '---').join('|')}|`,
    ...rows,
    '',
    renderNotes(report.benchmarks, '- ', (text) => `**${text}**\n`),
    '',
  ].join('\n');
}

export function writeReport(report: BenchReport, benchDir: string): { json: string; markdown: string } {
  const json = path.join(benchDir, 'results.json');
  const markdown = path.join(benchDir, 'LATEST.md');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdown, renderMarkdown(report));
  return { json, markdown };
}
