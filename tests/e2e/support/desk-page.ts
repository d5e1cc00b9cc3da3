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

/** The gallery's second window size; the tests run at 1280x800 (playwright.config.ts). */
const LARGE_WINDOW = { width: 1920, height: 1080 };

/** Waits until the page has laid out and painted at its current size (charts resize on the next frame). */
async function settled(page: Page): Promise<void> {
  await page.evaluate(() => {
    const { requestAnimationFrame: nextFrame } = globalThis as unknown as { requestAnimationFrame(callback: () => void): number };
    return new Promise<void>((done) => nextFrame(() => nextFrame(() => done())));
  });
}

/**
 * The screen as it is now, at the test's window size (test-results/screens/<name>.png) and at
 * 1920x1080 (<name>@1920x1080.png), then back: the gallery of both sizes from one pass of the flow.
 */
async function screenshotAtBothSizes(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
  const size = page.viewportSize();
  if (size === null) return; // Electron's window has its own size.
  await page.setViewportSize(LARGE_WINDOW);
  await settled(page);
  await page.screenshot({ path: `test-results/screens/${name}@${LARGE_WINDOW.width}x${LARGE_WINDOW.height}.png`, fullPage: true });
  await page.setViewportSize(size);
  await settled(page);
}

/** Screenshots of the current screen in Chinese and English (test-results/screens/<name>-zh|en[@1920x1080].png). */
export async function screenshotBothLanguages(page: Page, name: string, englishMarker: () => Promise<void>): Promise<void> {
  await screenshotAtBothSizes(page, `${name}-zh`);
  await page.getByTestId('lang-switch').selectOption('en');
  await englishMarker();
  await screenshotAtBothSizes(page, `${name}-en`);
  await page.getByTestId('lang-switch').selectOption('zh-CN');
}
