// `npm start` / `npm run start:web`: the central API on its embedded default (unless
// CLM_API_URL points at one), then the desk in the chosen shell. Ctrl+C stops everything.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_API_URL } from '../../desk-backend/hosting/desk-config';
import { ELECTRON_SQLITE_BINDING, SqliteBindingError, checkSqliteBinding } from '../common/sqlite-binding';
import { electronExecutable, installedElectron } from './installed-electron';

const { values } = parseArgs({
  options: {
    shell: { type: 'string', default: 'web' },
    customers: { type: 'string', default: '20000' },
  },
});

const children: ChildProcess[] = [];
const stopAll = (code: number) => {
  for (const child of children) child.kill('SIGTERM');
  process.exit(code);
};
process.once('SIGINT', () => stopAll(0));
process.once('SIGTERM', () => stopAll(0));

function runTs(entry: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  children.push(child);
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) {
      console.error(`${entry} exited with code ${code}`);
      stopAll(code);
    }
  });
  return child;
}

async function waitForHealth(apiUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${apiUrl}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`the central API at ${apiUrl} did not become healthy within ${timeoutMs / 1000} s`);
}

/**
 * The Electron executable, once it and better-sqlite3 built for its ABI are in place; otherwise
 * says in one line what is missing and what to run instead, and exits before starting anything.
 */
async function electronReadyToStart(): Promise<string> {
  const executable = electronExecutable();
  if ('missing' in executable) {
    console.error(`No Electron binary is installed here: ${executable.missing}. The browser mode needs none: npm run start:web`);
    process.exit(1);
  }
  try {
    checkSqliteBinding(path.resolve(import.meta.dirname, '..', '..', ELECTRON_SQLITE_BINDING), await installedElectron());
  } catch (error) {
    if (!(error instanceof SqliteBindingError)) throw error;
    console.error(`${error.message} (needs internet once), or use the browser mode: npm run start:web`);
    process.exit(1);
  }
  return executable.path;
}

const electronPath = values.shell === 'electron' ? await electronReadyToStart() : null;
const apiUrl = process.env.CLM_API_URL ?? DEFAULT_API_URL;
// The demo's supervisor reports need a past: two months of call outcomes, seeded once.
if (!process.env.CLM_API_URL) runTs('server/main.ts', ['--demo', '--customers', values.customers, '--demo-history-days', '60']);
await waitForHealth(apiUrl, 180_000);

if (electronPath !== null) {
  const child = spawn(electronPath, ['.'], { stdio: 'inherit', env: { ...process.env, CLM_API_URL: apiUrl } });
  children.push(child);
  child.once('exit', (code) => stopAll(code ?? 0));
} else {
  runTs('web-host/main.ts', [], { CLM_API_URL: apiUrl });
}
