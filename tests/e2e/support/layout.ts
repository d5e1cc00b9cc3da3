// Issue 14 §6: the agent's screen fits the work at 1280x800. With a caller's card on screen, in
// Chinese and in English: the shortcut footer is one line, the complaint and network buttons are
// in view above it, stage, value, risk with its reasons and the best offer show without scrolling,
// and no text on the card is hidden behind another element (a pinned control, a badge, a column).
import { expect, type Locator, type Page } from '@playwright/test';

// The few DOM shapes the check in the page uses (the e2e tests are type-checked without the DOM library).
interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}
interface PageElement {
  parentElement: PageElement | null;
  tagName: string;
  className: string;
  getBoundingClientRect(): Box;
  contains(other: PageElement): boolean;
}
interface PageText {
  textContent: string | null;
  parentElement: PageElement | null;
}
interface PageDocument {
  createTreeWalker(root: PageElement, whatToShow: number): { nextNode(): PageText | null };
  createRange(): { selectNodeContents(node: PageText): void; getClientRects(): Iterable<Box> };
  elementFromPoint(x: number, y: number): PageElement | null;
}
interface PageWindow {
  document: PageDocument;
  innerWidth: number;
  innerHeight: number;
  getComputedStyle(element: PageElement): { overflowX: string; overflowY: string };
}

/**
 * Every line of text inside `area` that is in view is on top: no other element is drawn over the
 * middle of the part of it its scrolling column and the window show. Lists the covered texts.
 */
export async function expectNoTextCovered(area: Locator): Promise<void> {
  const covered = await area.evaluate((root: PageElement) => {
    const page = globalThis as unknown as PageWindow;
    const SHOW_TEXT = 4;
    const clip = (a: Box, b: Box): Box => ({
      left: Math.max(a.left, b.left),
      top: Math.max(a.top, b.top),
      right: Math.min(a.right, b.right),
      bottom: Math.min(a.bottom, b.bottom),
    });
    const problems: string[] = [];
    const texts = page.document.createTreeWalker(root, SHOW_TEXT);
    for (let text = texts.nextNode(); text !== null; text = texts.nextNode()) {
      const words = (text.textContent ?? '').trim();
      const owner = text.parentElement;
      if (words === '' || owner === null) continue;
      const range = page.document.createRange();
      range.selectNodeContents(text);
      for (const line of range.getClientRects()) {
        let shown: Box = clip(line, { left: 0, top: 0, right: page.innerWidth, bottom: page.innerHeight });
        for (let outer = owner.parentElement; outer !== null; outer = outer.parentElement) {
          const style = page.getComputedStyle(outer);
          if (/auto|scroll|hidden/.test(`${style.overflowX} ${style.overflowY}`)) shown = clip(shown, outer.getBoundingClientRect());
        }
        if (shown.right - shown.left < 2 || shown.bottom - shown.top < 2) continue;
        const top = page.document.elementFromPoint((shown.left + shown.right) / 2, (shown.top + shown.bottom) / 2);
        if (top !== null && !owner.contains(top) && !top.contains(owner))
          problems.push(`"${words}" under <${top.tagName.toLowerCase()} class="${top.className}">`);
      }
    }
    return problems;
  });
  expect(covered, 'text hidden behind another element').toEqual([]);
}

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
  for (const testId of ['card-stage', 'card-tier', 'card-clv', 'card-risk', 'card-warning', 'card-risk-reasons'])
    await expectFullyShown(page.getByTestId(testId));
  const best = page.getByTestId('offer-best');
  await expectFullyShown(best.locator('.offer-name'));
  await expectFullyShown(best.getByTestId('offer-ev').or(best.getByTestId('offer-care-cost')));
  await expectNoTextCovered(page.getByTestId('card'));
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
