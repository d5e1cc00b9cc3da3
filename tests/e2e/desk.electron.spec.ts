// The browser test's call flow (tests/e2e/support/call-flow.ts) in the real Electron app, with its
// own agent and caller. It needs an Electron binary, which `npm ci` downloads only with internet
// access and without ELECTRON_SKIP_BINARY_DOWNLOAD: where there is none the test is skipped with
// the reason. Where there is one, better-sqlite3 must be built for it (`npm start` and
// `npm run rebuild:electron` do that), or the test fails naming the fix.
import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ELECTRON_SQLITE_BINDING, checkSqliteBinding } from '../../electron/common/sqlite-binding';
import { electronExecutable, installedElectron } from '../../electron/dev/installed-electron';
import { walkDeclinedCall } from './support/call-flow';
import { E2E_API_URL } from './support/e2e-env';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const executable = electronExecutable();

test('Electron: a ringing call paints the card, the agent records a declined outcome by keyboard, and it reaches the server', async () => {
  if (!('path' in executable)) {
    test.skip(true, `no Electron binary on this machine (npm ci downloads it only with internet access): ${executable.missing}`);
    return;
  }
  checkSqliteBinding(path.join(projectRoot, ELECTRON_SQLITE_BINDING), await installedElectron());
  const app = await electron.launch({
    executablePath: executable.path,
    args: [projectRoot],
    cwd: projectRoot,
    env: { ...process.env, CLM_API_URL: E2E_API_URL, CLM_DESK_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'clm-e2e-electron-')) },
  });
  try {
    const window = await app.firstWindow({ timeout: 30_000 });
    // The sandboxed renderer has no Node.
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    await walkDeclinedCall(window, { agentId: 'agent03', callerRank: 1, callIdPrefix: 'e2e-electron', screens: 'electron-desk' });
  } finally {
    await app.close();
  }
});
