// Browser mode: a customer opened from the outbound queue whom the desk's cache scope does not hold.
// The demo desk caches the whole book (the e2e API has no cache scope and no route to set one), so the
// desk's answer to card/byCustomer is replaced here: first by the card the central API's
// GET /cards/by-customer/:customerId really answers (as the desk backend paints it on a miss, source
// "server"), then by the offline miss. The backend's side of both runs against a real central API in
// tests/desk-backend/card-by-customer-miss.test.ts. Screens: card-by-customer-{server,offline}-{zh,en}.
import { expect, test, type Page } from '@playwright/test';
import { apiToken, cardByCustomer } from './support/central-api';
import { logInAs, screenshotBothLanguages } from './support/desk-page';

const AGENT = 'agent05';

test.use({ reducedMotion: 'reduce' });

test.beforeEach(async ({ request }) => {
  await request.post('/api/invoke/session/logout', { data: {} });
});

/** The desk's card/byCustomer answers with `answer(customerId)` instead of its own. */
async function answerCardsByCustomer(page: Page, answer: (customerId: string) => Promise<{ status: number; body: unknown }>): Promise<void> {
  await page.unroute('**/api/invoke/card/byCustomer');
  await page.route('**/api/invoke/card/byCustomer', async (route) => {
    const { customerId } = route.request().postDataJSON() as { customerId: string };
    const { status, body } = await answer(customerId);
    await route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
  });
}

test('a customer outside the cache opens with the central API’s card marked as from the server; offline the desk says it cannot fetch it', async ({ page }) => {
  const token = await apiToken(AGENT);
  await answerCardsByCustomer(page, async (customerId) => {
    const card = await cardByCustomer(token, customerId, 'e2e-card-by-customer');
    return { status: 200, body: { ok: true, value: { ...card, source: 'server' } } };
  });
  await page.goto('/');
  await logInAs(page, AGENT);
  await page.keyboard.press('Alt+Q');
  const items = page.getByTestId('queue-item');
  await expect(items.first()).toBeVisible();

  await items.first().click();
  await expect(page.getByTestId('card-source')).toHaveText('中心查询');
  await screenshotBothLanguages(page, 'card-by-customer-server', () => expect(page.getByTestId('card-source')).toHaveText('From server'));

  await answerCardsByCustomer(page, async () => ({
    status: 503,
    body: { ok: false, error: { code: 'offline_miss', message: 'this customer is not in this desk’s cache and the central API cannot be reached' } },
  }));
  await page.keyboard.press('Alt+Q');
  await items.nth(1).click();
  const error = page.getByTestId('lookup-error');
  await expect(error).toHaveAttribute('data-code', 'offline_miss');
  await expect(error).toContainText('本机缓存中没有这张客户卡片');
  await screenshotBothLanguages(page, 'card-by-customer-offline', () => expect(error).toContainText('not in this desk'));
});
