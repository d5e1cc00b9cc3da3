// The same flow in the real Electron app. It needs an Electron binary (and better-sqlite3
// rebuilt for Electron's ABI), which machines without internet cannot get: there the test is
// skipped with the reason. Each run uses a fresh data directory.
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { activeCustomers, apiToken, ctiEvent, storedOutcomesForCall } from './support/central-api';
import { logInAs } from './support/desk-page';
import { E2E_API_URL } from './support/e2e-env';

const projectRoot = path.resolve(import.meta.dirname, '../..');

function electronBinary(): { path: string } | { reason: string } {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    if (typeof binary === 'string' && existsSync(binary)) return { path: binary };
    return { reason: 'the electron package returned no executable path' };
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { reason: `no Electron binary on this machine (${detail}); it installs only with internet access` };
  }
}

const binary = electronBinary();
const missingElectron = 'reason' in binary ? binary.reason : null;

test('Electron: a ringing call paints the card and the outcome reaches the server', async () => {
  test.skip(missingElectron !== null, missingElectron ?? '');
  if (!('path' in binary)) return;
  const app = await electron.launch({
    executablePath: binary.path,
    args: [projectRoot],
    cwd: projectRoot,
    env: { ...process.env, CLM_API_URL: E2E_API_URL, CLM_DESK_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'clm-e2e-electron-')) },
  });
  try {
    const window = await app.firstWindow({ timeout: 30_000 });
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    await logInAs(window, 'agent03');

    const supervisor = await apiToken('sup01');
    const [, caller] = await activeCustomers(supervisor, 2);
    await expect
      .poll(async () => {
        await window.getByTestId('lookup-input').fill(caller!.phone);
        await window.getByTestId('lookup-submit').click();
        return window.getByTestId('card-name').textContent({ timeout: 2_000 }).catch(() => null);
      }, { message: 'the caller is in the synced cache', timeout: 60_000 })
      .toContain(caller!.name);

    const callId = `e2e-electron-${Date.now()}`;
    await ctiEvent({ callId, ani: caller!.phone, agentId: 'agent03', event: 'offered' });
    await expect(window.getByTestId('incoming-call')).toBeVisible();
    await expect(window.getByTestId('offer-best')).toBeVisible();
    await window.getByTestId('outcome-declined').click();
    await window.getByTestId('outcome-reason').selectOption('price');
    await window.getByTestId('outcome-save').click();
    await expect(window.getByTestId('outcome-saved')).toBeVisible();
    await window.screenshot({ path: 'test-results/screens/electron-card.png' });
    await expect.poll(async () => (await storedOutcomesForCall(supervisor, callId)).length, { timeout: 30_000 }).toBe(1);
  } finally {
    await app.close();
  }
});
