// Issue 14 §5: in browser mode the login belongs to the browser. Two browsers (two Playwright
// contexts, each its own cookie jar) hold two different users at once against one web host: the
// agent's call rings only on the agent's screen, the supervisor's reports only on the supervisor's;
// the supervisor logs out and the agent keeps working, up to an outcome that reaches the server.
// Screenshots: test-results/screens/two-browsers-*.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { activeCustomers, apiToken, ctiEvent, storedOutcomesForCall } from './support/central-api';
import { logInAs, screenshotBothLanguages, waitForFullCache } from './support/desk-page';
import { E2E_CUSTOMERS } from './support/e2e-env';

const AGENT = 'agent05';
const SUPERVISOR = 'sup01';

async function browserAs(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByTestId('login-username')).toBeVisible();
  await logInAs(page, username);
  return page;
}

/** Open interactions an earlier spec left on agent05's desk are discarded (confirmed), so the new call is the one shown. */
async function discardLeftovers(page: Page): Promise<void> {
  const listed = await (await page.request.post('/api/invoke/interaction/list', { data: {} })).json();
  for (const { interactionId } of (listed as { value: { interactions: { interactionId: string }[] } }).value.interactions)
    await page.request.post('/api/invoke/interaction/discard', { data: { interactionId, confirmed: true, reason: 'e2e: left over by an earlier spec' } });
  await page.reload();
  await expect(page.getByTestId('sync-online')).toHaveAttribute('data-online', 'true');
  await expect(page.getByTestId('open-interactions')).toHaveCount(0);
}

test('two browsers hold two users at once; one logs out and the other keeps working', async ({ browser }) => {
  const agent = await browserAs(browser, AGENT);
  const supervisor = await browserAs(browser, SUPERVISOR);
  await waitForFullCache(agent, E2E_CUSTOMERS);
  await discardLeftovers(agent);

  // Each browser shows its own user and that user's screen.
  await expect(agent.getByTestId('agent-name')).toContainText('话务员');
  await expect(supervisor.getByTestId('agent-name')).toContainText('班长');
  await expect(supervisor.getByTestId('kpi-tiles')).toBeVisible();
  await expect(agent.getByTestId('kpi-tiles')).toHaveCount(0);
  expect((await agent.request.post('/api/invoke/reports/outcomes', { data: { from: '2026-01-01', to: '2026-01-02' } })).status()).toBe(403);

  // A call for the agent rings in the agent's browser only.
  const token = await apiToken(SUPERVISOR);
  const caller = (await activeCustomers(token, 8))[7]!;
  const callId = `e2e-two-browsers-${Date.now()}`;
  await ctiEvent({ callId, ani: caller.phone, agentId: AGENT, event: 'offered' });
  await expect(agent.getByTestId('incoming-call')).toBeVisible();
  await expect(agent.getByTestId('card-name')).toContainText(caller.name);
  await expect(supervisor.getByTestId('incoming-call')).toHaveCount(0);
  await expect(supervisor.getByTestId('card')).toHaveCount(0);
  await screenshotBothLanguages(agent, 'two-browsers-agent', () => expect(agent.getByTestId('agent-name')).toContainText('Hotline agent'));
  await screenshotBothLanguages(supervisor, 'two-browsers-supervisor', () => expect(supervisor.getByTestId('kpi-tiles')).toContainText('Save rate'));

  // A reload keeps each browser's user: the login lives in the host, the cookie names it.
  await supervisor.reload();
  await expect(supervisor.getByTestId('kpi-tiles')).toBeVisible();
  await expect(supervisor.getByTestId('agent-name')).toContainText('班长');

  // The supervisor signs out: back at the login, and refused from then on.
  await supervisor.getByRole('button', { name: '退出登录' }).click();
  await expect(supervisor.getByTestId('login-username')).toBeVisible();
  expect((await supervisor.request.post('/api/invoke/reports/outcomes', { data: { from: '2026-01-01', to: '2026-01-02' } })).status()).toBe(401);
  await supervisor.screenshot({ path: 'test-results/screens/two-browsers-supervisor-signed-out-zh.png' });

  // The agent keeps working: the card is still there and the outcome is saved and reaches the server.
  await expect(agent.getByTestId('card-name')).toContainText(caller.name);
  await expect(agent.getByTestId('login-username')).toHaveCount(0);
  await agent.keyboard.press('Alt+2');
  await agent.keyboard.press('Alt+R');
  await agent.getByTestId('outcome-reason').selectOption('price');
  await agent.keyboard.press('Alt+N');
  await agent.keyboard.type('两个浏览器');
  await agent.keyboard.press('Alt+S');
  await expect(agent.getByTestId('outcome-saved')).toBeVisible();
  await expect
    .poll(async () => (await storedOutcomesForCall(token, callId)).length, { message: 'the agent’s outcome reaches the server', timeout: 30_000 })
    .toBe(1);
  const [stored] = await storedOutcomesForCall(token, callId);
  expect(stored).toMatchObject({ agentId: AGENT, draft: { result: 'declined', declineReason: 'price', note: '两个浏览器', customerId: caller.id } });
  await agent.screenshot({ path: 'test-results/screens/two-browsers-agent-after-supervisor-left-zh.png' });

  await agent.context().close();
  await supervisor.context().close();
});
