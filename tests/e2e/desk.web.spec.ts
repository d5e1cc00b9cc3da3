// Browser mode against the real desk backend and central API: an agent's call (three offers,
// the script walked with the keyboard, a declined-with-reason outcome that reaches the server),
// the store counter's search, and the supervisor's reports. The screenshot gallery: every role in
// both languages at 1280x800 and 1920x1080 (test-results/screens/), charts drawn without animation
// so each picture shows them finished.
import { expect, test } from '@playwright/test';
import { walkDeclinedCall } from './support/call-flow';
import { activeCustomers, apiToken, ctiEvent } from './support/central-api';
import { logInAs, screenshotBothLanguages, waitForFullCache } from './support/desk-page';
import { E2E_CUSTOMERS } from './support/e2e-env';
import { expectDeskFitsWindow, expectNoTextCovered } from './support/layout';

test.use({ reducedMotion: 'reduce' });

// The browser-mode host is one desk: end any session a previous test left behind.
test.beforeEach(async ({ request }) => {
  await request.post('/api/invoke/session/logout', { data: {} });
});

test('a call shows three offers with expected values; the agent walks the script by keyboard and records a declined outcome with its reason', async ({
  page,
}) => {
  await page.goto('/');
  await walkDeclinedCall(page, { agentId: 'agent01', callerRank: 0, callIdPrefix: 'e2e-web', screens: 'desk', checkLayout: true });
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
  await expectDeskFitsWindow(page);
  await screenshotBothLanguages(page, 'desk-outbound', () => expect(page.getByTestId('outbound-queue')).toContainText('Outbound'));
  await page.getByTestId('outbound-list').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('card')).toBeVisible();
  // An outbound call is an open interaction until its outcome is saved (Alt+E starts its wrap-up).
  await expect(page.getByTestId('interaction-tab')).toHaveAttribute('data-state', 'talking');
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
  await expectNoTextCovered(page.getByTestId('card'));
  await screenshotBothLanguages(page, 'store-card', async () => {
    await expect(page.getByTestId('card')).toContainText('Offer outcome');
    await expectNoTextCovered(page.getByTestId('card'));
  });
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
  // Back from 1920 px wide (the gallery), the charts drawn for the wider window fit the narrower one again.
  const uplift = (await page.getByTestId('chart-uplift').boundingBox())!;
  expect(uplift.x + uplift.width).toBeLessThanOrEqual(page.viewportSize()!.width);
  // The table is below the charts: the gallery shows it too.
  await page.getByTestId('outcomes-table').scrollIntoViewIfNeeded();
  await screenshotBothLanguages(page, 'supervisor-table', () => expect(page.getByTestId('export-csv')).toHaveText('Export CSV'));
  await page.getByTestId('report-group-by').selectOption('agentId');
  await page.screenshot({ path: 'test-results/screens/supervisor-grouped-zh.png', fullPage: true });
});

test('a login past the host’s --max-desks says how many people are signed in on this computer and what to do, in both languages', async ({ page }) => {
  // The host's own answer when every desk is taken (tests/web-host covers the host giving it).
  await page.route('**/api/invoke/session/login', (route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({ ok: false, error: { code: 'too_many_desks', message: 'this desk host already serves 8 signed-in users', deskLimit: 8 } }),
    }),
  );
  await page.goto('/');
  await page.getByTestId('login-username').fill('agent04');
  await page.getByTestId('login-password').fill('demo1234');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toHaveText('这台电脑已有 8 人登录,达到设定的上限。请已下班的同事退出登录,或联系 IT 调高上限。');
  await expectNoTextCovered(page.locator('.login-card'));
  await screenshotBothLanguages(page, 'login-too-many-desks', async () => {
    await expect(page.getByTestId('login-error')).toHaveText(
      'This computer already has 8 people signed in, the most it is set up for. Ask a colleague who has finished to sign out, or ask IT to allow more.',
    );
    await expectNoTextCovered(page.locator('.login-card'));
  });
});
