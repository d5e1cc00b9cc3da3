// Browser mode against the real desk backend and central API: an agent's call (three offers,
// the script walked with the keyboard, a declined-with-reason outcome that reaches the server),
// the store counter's search, and the supervisor's reports. Screenshots in both languages.
import { expect, test } from '@playwright/test';
import { activeCustomers, apiToken, ctiEvent, storedOutcomesForCall, warnedCustomer } from './support/central-api';
import { logInAs, screenshotBothLanguages, waitForFullCache } from './support/desk-page';
import { E2E_CUSTOMERS } from './support/e2e-env';

// The browser-mode host is one desk: end any session a previous test left behind.
test.beforeEach(async ({ request }) => {
  await request.post('/api/invoke/session/logout', { data: {} });
});

test('a call shows three offers with expected values; the agent walks the script by keyboard and records a declined outcome with its reason', async ({ page }) => {
  await page.goto('/');
  await logInAs(page, 'agent01');
  await waitForFullCache(page, E2E_CUSTOMERS);

  const supervisor = await apiToken('sup01');
  const { customer: caller, score } = await warnedCustomer(supervisor, { mostAtRisk: true });
  const callId = `e2e-web-${Date.now()}`;
  await ctiEvent({ callId, ani: caller.phone, agentId: 'agent01', event: 'offered' });

  await expect(page.getByTestId('incoming-call')).toBeVisible();
  await expect(page.getByTestId('card-name')).toContainText(caller.name);
  await expect(page.getByTestId('card-phone')).toContainText(caller.phone.slice(-4));
  await expect(page.getByTestId('card-warning')).toHaveAttribute('data-level', score.warningLevel);
  await expect(page.getByTestId('card-stage')).toHaveAttribute('data-stage', score.stage);
  await expect(page.getByTestId('card-risk-reasons').locator('li')).toHaveCount(score.topReasons.length);
  await expect(page.getByTestId('decision')).toBeVisible();
  await expect(page.getByTestId('wrap-up')).toBeVisible();

  // The best offer and two alternatives, each with its expected value and breakdown.
  for (const offer of [page.getByTestId('offer-best'), page.getByTestId('offer-alt-0'), page.getByTestId('offer-alt-1')]) {
    await expect(offer.getByTestId('offer-ev')).toContainText('¥');
    await expect(offer.getByTestId('offer-p-accept')).toContainText('%');
  }
  await screenshotBothLanguages(page, 'desk-card', () => expect(page.getByTestId('card-warning')).toContainText(/warning/i));

  // Opening → pitch → the first objection, with Alt+J; Alt+K goes back.
  await expect(page.getByTestId('script-step-opening')).toHaveAttribute('aria-current', 'step');
  await page.keyboard.press('Alt+J');
  await expect(page.getByTestId('script-step-pitch')).toHaveAttribute('aria-current', 'step');
  await page.keyboard.press('Alt+J');
  await expect(page.locator('.objections li.current .objection-answer')).toBeVisible();
  await page.keyboard.press('Alt+K');
  await expect(page.getByTestId('script-step-pitch')).toHaveAttribute('aria-current', 'step');

  // Declined: the reason is required, and picked with the keyboard.
  await page.keyboard.press('Alt+2');
  await expect(page.getByTestId('outcome-declined')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Alt+S');
  await expect(page.getByTestId('outcome-problem')).toHaveText('客户拒绝需要选择拒绝原因');
  await page.keyboard.press('Alt+R');
  await expect(page.getByTestId('outcome-reason')).toBeFocused();
  await page.getByTestId('outcome-reason').selectOption('price');
  await page.keyboard.press('Alt+N');
  await page.keyboard.type('嫌贵');
  await page.keyboard.press('Alt+S');
  await expect(page.getByTestId('outcome-saved')).toBeVisible();
  await expect(page.getByTestId('wrap-up')).toBeHidden();

  await expect
    .poll(async () => (await storedOutcomesForCall(supervisor, callId)).length, { message: 'the outcome reaches the server', timeout: 30_000 })
    .toBe(1);
  const [stored] = await storedOutcomesForCall(supervisor, callId);
  expect(stored!.draft).toMatchObject({
    result: 'declined',
    declineReason: 'price',
    channel: 'hotline',
    customerId: caller.id,
    note: '嫌贵',
    context: { stage: score.stage, warningLevel: score.warningLevel, rank: 1 },
  });
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

test('the outbound queue lists customers to call and opens one as an outbound card', async ({ page }) => {
  await page.goto('/');
  await logInAs(page, 'agent03');
  await waitForFullCache(page, E2E_CUSTOMERS);
  await page.keyboard.press('Alt+Q');
  const first = page.getByTestId('queue-item').first();
  await expect(first).toBeVisible();
  await screenshotBothLanguages(page, 'desk-outbound', () => expect(page.getByTestId('outbound-queue')).toContainText('Outbound'));
  await page.getByTestId('outbound-list').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('card')).toBeVisible();
  await expect(page.getByTestId('wrap-up')).toBeVisible();
});

test('the store counter finds a customer by name and opens the card with the keyboard', async ({ page }) => {
  await page.goto('/');
  await logInAs(page, 'store01');
  await waitForFullCache(page, E2E_CUSTOMERS);
  await expect(page.getByTestId('incoming-call')).toHaveCount(0);

  const [customer] = await activeCustomers(await apiToken('sup01'), 1);
  await page.keyboard.press('Alt+L');
  await expect(page.getByTestId('search-input')).toBeFocused();
  await page.keyboard.type(customer!.name);
  await page.keyboard.press('Enter');
  const matches = page.getByTestId('search-match');
  await expect(matches.first()).toBeVisible();
  const ids = await Promise.all((await matches.all()).map((match) => match.getAttribute('data-customer-id')));
  const index = ids.indexOf(customer!.id);
  expect(index, 'the customer is among the matches').toBeGreaterThanOrEqual(0);
  await screenshotBothLanguages(page, 'store-search', () => expect(page.getByTestId('search-submit')).toHaveText('Search'));
  await page.keyboard.press('Alt+L');
  for (let i = 0; i < index; i += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');

  await expect(page.getByTestId('card-name')).toContainText(customer!.name);
  await expect(page.getByTestId('offer-best').or(page.getByTestId('offer-none'))).toBeVisible();
  await expect(page.getByTestId('wrap-up')).toHaveCount(0);
  await screenshotBothLanguages(page, 'store-card', () => expect(page.getByTestId('card')).toContainText('Offer outcome'));
});

test('the supervisor sees the KPI tiles, the charts and the outcome table', async ({ page }) => {
  await page.goto('/');
  await logInAs(page, 'sup01');
  await expect(page.getByTestId('kpi-tiles')).toBeVisible();
  await expect(page.getByTestId('kpi-saveRate-value')).not.toBeEmpty();
  await expect(page.getByTestId('chart-trend').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('outcomes-table')).toBeVisible();
  await expect(page.getByTestId('report-row-count')).toHaveAttribute('data-count', /^\d+$/);
  await screenshotBothLanguages(page, 'supervisor', () => expect(page.getByTestId('kpi-tiles')).toContainText('Save rate'));
  await page.getByTestId('report-group-by').selectOption('agentId');
  await page.screenshot({ path: 'test-results/screens/supervisor-grouped-zh.png', fullPage: true });
});
