// Steps on the desk page shared by the browser and Electron tests.
import { expect, type Page } from '@playwright/test';

export async function logInAs(page: Page, username: string, password = 'demo1234'): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('sync-online')).toHaveAttribute('data-online', 'true');
}
