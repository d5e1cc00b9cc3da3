// Steps on the desk page shared by the browser and Electron tests.
import { expect, type Page } from '@playwright/test';

export async function logInAs(page: Page, username: string, password = 'demo1234'): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('sync-online')).toHaveAttribute('data-online', 'true');
}

/** Asks the desk backend the way the page does: Electron's preload bridge, or the browser host's HTTP API. */
async function invokeFromPage(page: Page, channel: string, input: unknown): Promise<unknown> {
  return page.evaluate(
    async ([channel, input]) => {
      const bridge = (globalThis as { clmDesk?: { invoke(channel: string, input: unknown): Promise<unknown> } }).clmDesk;
      if (bridge) return bridge.invoke(channel, input);
      const response = await fetch(`/api/invoke/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
      return response.json();
    },
    [channel, input] as const,
  );
}

/** Waits until the desk's initial sync has filled the cache with the whole book. */
export async function waitForFullCache(page: Page, customers: number): Promise<void> {
  await expect
    .poll(async () => ((await invokeFromPage(page, 'sync/status', {})) as { value?: { customersCached: number } }).value?.customersCached, {
      message: 'the initial sync fills the cache',
      timeout: 60_000,
    })
    .toBe(customers);
}

/** Full-page screenshots of the current screen in Chinese and English (test-results/screens/<name>-zh|en.png). */
export async function screenshotBothLanguages(page: Page, name: string, englishMarker: () => Promise<void>): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}-zh.png`, fullPage: true });
  await page.getByTestId('lang-switch').selectOption('en');
  await englishMarker();
  await page.screenshot({ path: `test-results/screens/${name}-en.png`, fullPage: true });
  await page.getByTestId('lang-switch').selectOption('zh-CN');
}
