// Child processes for the deployment tests: run a command to its end, or start a server and wait
// for the line that says it is up (never for a fixed time).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(command: string[], options: { cwd?: string; env: Record<string, string>; input?: string }): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    if (options.input !== undefined) {
      child.stdin!.on('error', () => undefined); // a command that exits without reading its input
      child.stdin!.end(options.input);
    }
  });
}

export interface Started {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a long-running process; resolves once its output matches `ready` (or once it has spawned, without
 * `ready`: the caller then polls the service), rejects if it ends first.
 */
export function start(command: string[], options: { cwd?: string; env: Record<string, string>; ready?: RegExp }): Promise<Started> {
  const child = spawn(command[0]!, command.slice(1), { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const started: Started = {
    child,
    output: () => output,
    exited,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      if (options.ready?.test(output)) resolve(started);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    if (!options.ready) child.once('spawn', () => resolve(started));
    void exited.then((code) => reject(new Error(`${command.join(' ')} ended (${code}) before it was ready:\n${output}`)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns true; for state that settles on its own schedule (health checks). */
export async function eventually(probe: () => Promise<boolean>, what: string, attempts = 300, pauseMs = 100): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}
