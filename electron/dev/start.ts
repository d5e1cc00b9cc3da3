// `npm start` / `npm run start:web`: the central API on its embedded default (unless
// CLM_API_URL points at one), then the desk in the chosen shell. Ctrl+C stops everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { DEFAULT_API_URL } from '../common/desk-config';

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

/** The Electron executable's path, or null with the reason when this machine has none. */
function electronExecutable(): { path: string } | { missing: string } {
  try {
    const electronPath = createRequire(import.meta.url)('electron') as unknown;
    return typeof electronPath === 'string' ? { path: electronPath } : { missing: 'the electron package did not return a path' };
  } catch (error) {
    return { missing: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}

const apiUrl = process.env.CLM_API_URL ?? DEFAULT_API_URL;
// The demo's supervisor reports need a past: two months of call outcomes, seeded once.
if (!process.env.CLM_API_URL) runTs('server/main.ts', ['--customers', values.customers, '--demo-history-days', '60']);
await waitForHealth(apiUrl, 180_000);

if (values.shell === 'electron') {
  const electron = electronExecutable();
  if ('missing' in electron) {
    console.error(
      `No Electron binary is installed here (${electron.missing}).\n` +
        'Install it on a machine with internet access (npm ci without ELECTRON_SKIP_BINARY_DOWNLOAD), ' +
        'or use the browser mode: npm run start:web',
    );
    stopAll(1);
  } else {
    const child = spawn(electron.path, ['.'], { stdio: 'inherit', env: { ...process.env, CLM_API_URL: apiUrl } });
    children.push(child);
    child.once('exit', (code) => stopAll(code ?? 0));
  }
} else {
  runTs('electron/web/main.ts', [], { CLM_API_URL: apiUrl });
}
