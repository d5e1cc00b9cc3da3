// `clm ARGS` with its exit code, stdout and stderr: as an operator runs it (a real child process, on
// the bundle global setup built, tests/support/clm-bundle.ts), or in this process. A child pays
// for starting Node and compiling PGlite's WebAssembly again, about four seconds of CPU for a
// command that opens a database; in this process a command costs what the command itself does.
// Each CLI test keeps real child processes for its exit codes and runs the rest in-process.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { format } from 'node:util';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's bundle of server/cli/clm.ts (tests/support/global-setup.ts). */
    clmBundle: string;
  }
}

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ClmRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ClmOptions {
  /** What the command reads on stdin (--password-stdin). */
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Run server/cli/clm.ts under tsx, as `npm run clm` does, instead of the bundle: proves the entry itself. */
  fromSource?: boolean;
}

export function runClm(args: readonly string[], { input, env = process.env, fromSource = false }: ClmOptions = {}): ClmRun {
  const entry = fromSource ? ['--import', 'tsx', 'server/cli/clm.ts'] : [inject('clmBundle')];
  const run = spawnSync(process.execPath, [...entry, ...args], { cwd: ROOT, encoding: 'utf8', input, env });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** This process's environment without DATABASE_URL: a run on --data-dir, or a dry run with no database. */
export function envWithoutDatabaseUrl(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  return env;
}

/**
 * `clm ARGS` in this process through clm.ts's runClm, with console and process output captured and
 * `env` as process.env while it runs. No stdin: a command that reads it runs as a child.
 */
export async function runClmInProcess(args: readonly string[], { env = process.env }: Pick<ClmOptions, 'env'> = {}): Promise<ClmRun> {
  const { runClm: run } = await import('../../server/cli/clm');
  const output = { stdout: '', stderr: '' };
  const saved = { log: console.log, error: console.error, warn: console.warn, stdout: process.stdout.write, stderr: process.stderr.write, env: process.env };
  const capture =
    (stream: keyof typeof output) =>
    (...values: unknown[]) => {
      output[stream] += `${format(...values)}\n`;
    };
  const captureWrite = (stream: keyof typeof output) =>
    ((chunk: string | Uint8Array) => {
      output[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    }) as typeof process.stdout.write;
  console.log = capture('stdout');
  console.error = console.warn = capture('stderr');
  process.stdout.write = captureWrite('stdout');
  process.stderr.write = captureWrite('stderr');
  process.env = env;
  try {
    const code = await run([...args]);
    return { code, ...output };
  } finally {
    Object.assign(console, { log: saved.log, error: saved.error, warn: saved.warn });
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    process.env = saved.env;
  }
}
