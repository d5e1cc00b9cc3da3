// The model commands end to end as an operator runs them: train through `npm run clm`'s own entry
// (tsx on server/cli/clm.ts) and one refused command as a child process; the rest in-process
// (tests/support/clm-process.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClm, runClmInProcess } from '../support/clm-process';
import { mixedRows } from './churn-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'clm-cli-'));
const file = (name: string) => join(dir, name);
const toCsv = (rows: string[][]) => `${rows.map((r) => r.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n')}\n`;

const trimmed = (run: { code: number | null; stdout: string; stderr: string }) => ({ ...run, stderr: run.stderr.trim() });
const clm = (...args: string[]) => trimmed(runClm(args));
const clmFromSource = (...args: string[]) => trimmed(runClm(args, { fromSource: true }));
const clmInProcess = async (...args: string[]) => trimmed(await runClmInProcess(args));

beforeAll(() => {
  const rows = mixedRows(600, 41);
  writeFileSync(file('train.csv'), toCsv(rows));
  writeFileSync(file('garbage.csv'), toCsv([rows[0] as string[], ...rows.slice(1, 50), ['X1', 'twelve', '50', 'One year', 'No']]));
  writeFileSync(file('no-contract.csv'), toCsv(rows.map((r) => [r[0], r[1], r[2], r[4]] as string[])));
  writeFileSync(file('one-class.csv'), toCsv([rows[0] as string[], ...rows.slice(1).map((r) => [...r.slice(0, 4), 'No'])]));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clm model train / evaluate', () => {
  it('trains a model and evaluates it; --json prints one JSON object on the last line', async () => {
    const train = clmFromSource(
      'model',
      'train',
      '--data',
      file('train.csv'),
      '--target',
      'churn',
      '--positive',
      'Yes',
      '--id',
      'id',
      '--algo',
      'logit',
      '--out',
      file('model.json'),
    );
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    expect(train.stdout).toMatch(/trained churn-logit-\d+ \(logit\) on 600 rows/);
    const evaluate = await clmInProcess(
      'model',
      'evaluate',
      '--model',
      file('model.json'),
      '--data',
      file('train.csv'),
      '--target',
      'churn',
      '--positive',
      'Yes',
      '--json',
    );
    expect(evaluate.code).toBe(0);
    const last = evaluate.stdout.trim().split('\n').at(-1) as string;
    const metrics = JSON.parse(last);
    expect(Object.keys(metrics)).toEqual(expect.arrayContaining(['auc', 'pr_auc', 'log_loss', 'brier', 'top_decile_lift', 'rows']));
    expect(metrics.rows).toBe(600);
    expect(metrics.auc).toBeGreaterThan(0.7);
  });

  it('reports bad input on one line with exit code 2 and no stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['model', 'evaluate', '--model', file('model.json'), '--data', file('garbage.csv'), '--target', 'churn', '--positive', 'Yes', '--json'],
        /column "tenure" is numeric but data row 50 has "twelve"/,
      ],
      [
        ['model', 'evaluate', '--model', file('model.json'), '--data', file('no-contract.csv'), '--target', 'churn', '--positive', 'Yes'],
        /model feature column "contract" is not in the data/,
      ],
      [
        ['model', 'train', '--data', file('train.csv'), '--target', 'Churn', '--positive', 'Yes', '--out', file('x.json')],
        /target column "Churn" is not in the data/,
      ],
      [
        ['model', 'train', '--data', file('one-class.csv'), '--target', 'churn', '--positive', 'No', '--out', file('x.json')],
        /target column "churn" has only one class/,
      ],
      [
        ['model', 'train', '--data', file('missing.csv'), '--target', 'churn', '--positive', 'Yes', '--out', file('x.json')],
        /data file not found: .*missing\.csv/,
      ],
      [
        ['model', 'train', '--data', file('train.csv'), '--target', 'churn', '--positive', 'Yes', '--out', file('x.json'), '--algo', 'svm'],
        /--algo must be one of gbdt, logit/,
      ],
      [
        ['model', 'train', '--data', file('train.csv'), '--target', 'churn', '--positive', 'Yes', '--out', file('x.json'), '--depth', '3'],
        /Unknown option '--depth'/,
      ],
      [['model', 'train', '--data', file('train.csv'), '--positive', 'Yes', '--out', file('x.json')], /missing required flag --target/],
    ];
    for (const [index, [args, message]] of cases.entries()) {
      const run = index === 0 ? clm(...args) : await clmInProcess(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.split('\n')).toHaveLength(1);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
