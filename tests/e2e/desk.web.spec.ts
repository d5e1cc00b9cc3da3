// Browser mode, as an agent sees it: log in, a call rings, the card paints, the outcome is
// recorded and reaches the central API exactly once.
import { expect, test } from '@playwright/test';
import { apiToken, ctiEvent, storedOutcomesForCall, warnedCustomer } from './support/central-api';
import { logInAs } from './support/desk-page';
import { E2E_CUSTOMERS } from './support/e2e-env';

// The browser-mode host is one desk: end any session a previous test left behind.
test.beforeEach(async ({ request }) => {
  await request.post('/api/invoke/session/logout', { data: {} });
});

test('a ringing call paints the customer card and the outcome reaches the server', async ({ page }) => {
  await page.goto('/');
  await logInAs(page, 'agent01');

  await expect
    .poll(async () => {
      const response = await page.request.post('/api/invoke/sync/status', { data: {} });
      return ((await response.json()) as { value?: { customersCached: number } }).value?.customersCached;
    }, { message: 'the initial sync fills the cache', timeout: 60_000 })
    .toBe(E2E_CUSTOMERS);

  const supervisor = await apiToken('sup01');
  const { customer: caller, score } = await warnedCustomer(supervisor);
  const callId = `e2e-web-${Date.now()}`;
  await ctiEvent({ callId, ani: caller!.phone, agentId: 'agent01', event: 'offered' });

  await expect(page.getByTestId('incoming-call')).toBeVisible();
  await expect(page.getByTestId('card-name')).toContainText(caller!.name);
  await expect(page.getByTestId('card-phone')).toContainText(caller!.phone.slice(-4));
  await expect(page.getByTestId('card-stage')).not.toBeEmpty();
  await expect(page.getByTestId('card-tier')).not.toBeEmpty();
  await expect(page.getByTestId('card-risk')).not.toBeEmpty();
  await expect(page.getByTestId('card-warning')).toHaveAttribute('data-level', score.warningLevel);
  await expect(page.getByTestId('card-stage')).toHaveAttribute('data-stage', score.stage);
  await expect(page.getByTestId('card-risk-reasons').locator('li')).toHaveCount(score.topReasons.length);
  await expect(page.getByTestId('offer-best')).toBeVisible();
  await expect(page.getByTestId('script-opening')).not.toBeEmpty();
  await page.screenshot({ path: 'test-results/screens/desk-card-zh.png', fullPage: true });
  await page.getByTestId('lang-switch').selectOption('en');
  await expect(page.getByTestId('card-warning')).toContainText(/warning/i);
  await page.screenshot({ path: 'test-results/screens/desk-card-en.png', fullPage: true });
  await page.getByTestId('lang-switch').selectOption('zh-CN');

  await page.getByTestId('outcome-accepted').click();
  await page.getByTestId('outcome-note').fill('客户同意办理');
  await page.getByTestId('outcome-save').click();
  await expect(page.getByTestId('outcome-saved')).toBeVisible();

  await expect
    .poll(async () => (await storedOutcomesForCall(supervisor, callId)).length, { message: 'the outcome reaches the server', timeout: 30_000 })
    .toBe(1);
  const [stored] = await storedOutcomesForCall(supervisor, callId);
  expect(stored!.draft).toMatchObject({ result: 'accepted', channel: 'hotline', customerId: caller!.id, note: '客户同意办理' });
  await expect(page.getByTestId('outbox-pending')).toHaveAttribute('data-count', '0');
  await page.screenshot({ path: 'test-results/screens/desk-outcome-zh.png', fullPage: true });
});

test('an unknown caller gets a prospect card, never an error', async ({ page }) => {
  await page.goto('/');
  await logInAs(page, 'agent02');
  await ctiEvent({ callId: `e2e-prospect-${Date.now()}`, ani: '+8619999999999', agentId: 'agent02', event: 'offered' });
  await expect(page.getByTestId('card')).toBeVisible();
  await expect(page.getByTestId('card-stage')).toContainText(/潜在|prospect/i);
});
