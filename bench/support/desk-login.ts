// Logs a benchmark's Chromium page into the browser-mode desk and waits until it is online.
import type { Page } from 'playwright-core';

export async function logInToDesk(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.locator('[data-testid="sync-online"][data-online="true"]').waitFor({ timeout: 30_000 });
}
