// Benchmarks run the central API, the desk host and memory probes in their own Node processes
// (as in production, and so they do not share the measuring process's event loop). This is
// the small typed request/response protocol over the fork IPC channel between them.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** Methods a child serves: one argument in, one JSON-serializable value out. */
export type RpcMethods = Record<string, (arg: never) => Promise<unknown>>;

type Request = { kind: 'call'; id: number; method: string; arg: unknown };
type Reply = { kind: 'reply'; id: number; ok: true; value: unknown } | { kind: 'reply'; id: number; ok: false; error: string };
type Ready = { kind: 'ready'; info: unknown };
type Failed = { kind: 'failed'; error: string };

const message = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/** In the child: announce `info` once started, then answer calls until the parent disconnects. */
export function serveRpc(info: unknown, methods: RpcMethods, onStop: () => Promise<void> = async () => undefined): void {
  const send = (payload: Ready | Reply) => process.send?.(payload);
  process.on('message', (raw: Request) => {
    if (raw?.kind !== 'call') return;
    const method = methods[raw.method] as ((arg: unknown) => Promise<unknown>) | undefined;
    if (method === undefined) return send({ kind: 'reply', id: raw.id, ok: false, error: `no method ${raw.method}` });
    method(raw.arg).then(
      (value) => send({ kind: 'reply', id: raw.id, ok: true, value }),
      (error: unknown) => send({ kind: 'reply', id: raw.id, ok: false, error: message(error) }),
    );
  });
  process.on('disconnect', () => {
    onStop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  send({ kind: 'ready', info });
}

/** In the child: report a startup failure to the parent and exit. */
export function failStartup(error: unknown): never {
  process.send?.({ kind: 'failed', error: message(error) } satisfies Failed);
  process.exit(1);
}

/** Reads the JSON config a parent passed to forkChild. */
export function childConfig<T>(): T {
  const raw = process.env.CLM_BENCH_CHILD_CONFIG;
  if (raw === undefined) throw new Error('this module is a benchmark child process; start it through forkChild');
  return JSON.parse(raw) as T;
}

export interface ChildHandle<M extends RpcMethods, I> {
  info: I;
  process: ChildProcess;
  call<K extends keyof M & string>(method: K, arg: Parameters<M[K]>[0]): Promise<Awaited<ReturnType<M[K]>>>;
  /** Disconnects and waits for exit (SIGKILL after a grace period). */
  stop(): Promise<void>;
}

/**
 * Forks a TypeScript module under tsx with `config`, and resolves once it reported ready.
 * `startupTimeoutMs` covers slow starts such as seeding a million customers.
 */
export function forkChild<M extends RpcMethods, I>(
  modulePath: string,
  config: unknown,
  options: { startupTimeoutMs?: number; execArgv?: string[] } = {},
): Promise<ChildHandle<M, I>> {
  const child = fork(modulePath, [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    env: { ...process.env, CLM_BENCH_CHILD_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    for (const { reject } of pending.values()) reject(new Error(`${path.basename(modulePath)} exited (${code ?? signal})`));
    pending.clear();
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(modulePath)} did not start within ${(options.startupTimeoutMs ?? 60_000) / 1000} s`));
    }, options.startupTimeoutMs ?? 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${path.basename(modulePath)} exited during startup (${code ?? signal})`));
    });
    child.on('message', (raw: Ready | Reply | Failed) => {
      if (raw.kind === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${path.basename(modulePath)} failed to start: ${raw.error}`));
      } else if (raw.kind === 'ready') {
        clearTimeout(timer);
        resolve({
          info: raw.info as I,
          process: child,
          call: (method, arg) =>
            new Promise((resolveCall, rejectCall) => {
              const id = nextId++;
              pending.set(id, { resolve: resolveCall as (value: unknown) => void, reject: rejectCall });
              child.send({ kind: 'call', id, method, arg } satisfies Request);
            }),
          async stop() {
            if (child.exitCode !== null || child.signalCode !== null) return;
            if (child.connected) child.disconnect();
            const grace = setTimeout(() => child.kill('SIGKILL'), 15_000);
            await exited;
            clearTimeout(grace);
          },
        });
      } else {
        const waiter = pending.get(raw.id);
        pending.delete(raw.id);
        if (waiter === undefined) return;
        if (raw.ok) waiter.resolve(raw.value);
        else waiter.reject(new Error(raw.error));
      }
    });
  });
}
