// Steps on the desk page shared by the browser and Electron tests.
import { expect, type Page } from '@playwright/test';

export async function logInAs(page: Page, username: string, password = 'demo1234'): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('sync-online')).toHaveAttribute('data-online', 'true');
}

/** Waits until the desk's initial sync has filled the cache with the whole book. */
export async function waitForFullCache(page: Page, customers: number): Promise<void> {
  await expect
    .poll(async () => {
      const response = await page.request.post('/api/invoke/sync/status', { data: {} });
      return ((await response.json()) as { value?: { customersCached: number } }).value?.customersCached;
    }, { message: 'the initial sync fills the cache', timeout: 60_000 })
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
