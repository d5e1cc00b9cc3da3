// Issue 14 §6: the agent's screen fits the work at 1280x800. With a caller's card on screen, in
// Chinese and in English: the shortcut footer is one line, the complaint and network buttons are
// in view above it, and stage, value, risk and the best offer show without scrolling.
import { expect, type Locator, type Page } from '@playwright/test';

/** Fully inside the window and not clipped by a scrolled column. */
async function expectFullyShown(what: Locator): Promise<void> {
  await expect(what).toBeInViewport({ ratio: 1 });
}

async function expectAgentCardFits(page: Page): Promise<void> {
  const hints = page.getByTestId('shortcut-hints');
  const list = (await hints.boundingBox())!;
  const items = await Promise.all((await hints.locator('li').all()).map(async (item) => (await item.boundingBox())!));
  expect(new Set(items.map((item) => Math.round(item.y))).size, 'the shortcut footer is one line').toBe(1);
  expect(Math.max(...items.map((item) => item.x + item.width)), 'no shortcut is cut off at the right').toBeLessThanOrEqual(list.x + list.width);

  const footerTop = (await page.locator('.desk-footer').boundingBox())!.y;
  for (const button of [page.getByTestId('log-event-complaint'), page.getByTestId('log-event-network_issue')]) {
    await expectFullyShown(button);
    const box = (await button.boundingBox())!;
    expect(box.y + box.height, 'the button is above the footer').toBeLessThanOrEqual(footerTop);
  }
  for (const testId of ['card-stage', 'card-tier', 'card-clv', 'card-risk', 'card-warning']) await expectFullyShown(page.getByTestId(testId));
  const best = page.getByTestId('offer-best');
  await expectFullyShown(best.locator('.offer-name'));
  await expectFullyShown(best.getByTestId('offer-ev').or(best.getByTestId('offer-care-cost')));
}

/** Checks the card on screen at the current window size in Chinese, then in English, and goes back to Chinese. */
export async function expectAgentCardFitsInBothLanguages(page: Page): Promise<void> {
  await expectAgentCardFits(page);
  await page.getByTestId('lang-switch').selectOption('en');
  await expect(page.getByTestId('shortcut-hints')).toContainText('Hold Alt');
  await expectAgentCardFits(page);
  await page.getByTestId('lang-switch').selectOption('zh-CN');
  await expect(page.getByTestId('shortcut-hints')).toContainText('按住 Alt');
}

/** The window itself never scrolls: long content (the outbound queue) scrolls inside the desk, above the footer. */
export async function expectDeskFitsWindow(page: Page): Promise<void> {
  const height = await page.evaluate(
    () => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight,
  );
  expect(height, 'the page is no taller than the window').toBeLessThanOrEqual(page.viewportSize()!.height);
  const footer = (await page.locator('.desk-footer').boundingBox())!;
  expect(footer.y + footer.height, 'the footer is at the foot of the window').toBeCloseTo(page.viewportSize()!.height, 0);
}
