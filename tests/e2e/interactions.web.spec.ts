// Nothing the agent typed is lost, in browser mode against the real desk backend and central API
// (agent05): a second call opens beside the first with its draft intact and switchable by
// keyboard; a reload during wrap-up brings the card and the draft back; the wrap-up notice waits
// for the call to end; a discard needs an explicit confirmation; a complaint asks its category
// and a note and can be undone. Screenshots in both languages (test-results/screens/interactions-*).
import { expect, test, type Page } from '@playwright/test';
import type { CtiCallEvent } from '../../shared/contract/central-api';
import { activeCustomers, apiToken, ctiEvent, storedOutcomesForCall, warnedCustomer } from './support/central-api';
import { logInAs, screenshotBothLanguages, waitForFullCache } from './support/desk-page';
import { E2E_CUSTOMERS } from './support/e2e-env';

const AGENT = 'agent05';

const call = (callId: string, ani: string, event: CtiCallEvent['event']) => ctiEvent({ callId, ani, agentId: AGENT, event });

async function invoke(page: Page, channel: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const response = await page.request.post(`/api/invoke/${channel}`, { data: input });
  return (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

/** Open interactions a previous test left on this desk for agent05 are discarded (confirmed) first. */
async function startClean(page: Page): Promise<void> {
  await page.request.post('/api/invoke/session/logout', { data: {} });
  await page.goto('/');
  await logInAs(page, AGENT);
  await waitForFullCache(page, E2E_CUSTOMERS);
  const listed = await invoke(page, 'interaction/list', {});
  for (const { interactionId } of (listed.value as { interactions: { interactionId: string }[] }).interactions) {
    await invoke(page, 'interaction/discard', { interactionId, confirmed: true, reason: 'e2e: left over by an earlier run' });
  }
  await page.reload();
  await expect(page.getByTestId('sync-online')).toHaveAttribute('data-online', 'true');
  await expect(page.getByTestId('open-interactions')).toHaveCount(0);
}

const tabs = (page: Page) => page.getByTestId('interaction-tab');

test('a second call opens beside the first: the first draft stays intact, Alt+I switches; the wrap-up notice waits for the end of the call', async ({
  page,
}) => {
  await startClean(page);
  const supervisor = await apiToken('sup01');
  const { customer: first } = await warnedCustomer(supervisor, { mostAtRisk: true, rank: 3 });
  const [, , second] = await activeCustomers(supervisor, 3);
  const firstCall = `e2e-int-a-${Date.now()}`;
  const secondCall = `e2e-int-b-${Date.now()}`;

  await call(firstCall, first.phone, 'offered');
  await expect(page.getByTestId('card-name')).toContainText(first.name);
  await expect(tabs(page)).toHaveAttribute('data-state', 'ringing');
  await expect(page.getByTestId('wrap-up')).toHaveCount(0);
  await call(firstCall, first.phone, 'answered');
  await expect(tabs(page)).toHaveAttribute('data-state', 'talking');
  await expect(page.getByTestId('wrap-up')).toHaveCount(0);

  // The agent picks a result and types a note while talking.
  await page.keyboard.press('Alt+2');
  await page.keyboard.press('Alt+R');
  await page.getByTestId('outcome-reason').selectOption('price');
  await page.keyboard.press('Alt+N');
  await page.keyboard.type('嫌贵,下月合约到期再谈');

  await call(firstCall, first.phone, 'ended');
  await expect(tabs(page)).toHaveAttribute('data-state', 'wrap_up');
  await expect(page.getByTestId('wrap-up')).toBeVisible();
  await expect(page.getByTestId('wrap-up-timer')).toHaveText(/^\d\d:\d\d$/);
  await screenshotBothLanguages(page, 'interactions-wrap-up', () => expect(page.getByTestId('wrap-up')).toContainText('Wrap-up'));

  // A second call rings: it opens beside the first, which keeps its draft.
  await call(secondCall, second!.phone, 'offered');
  await expect(page.getByTestId('card-name')).toContainText(second!.name);
  await expect(tabs(page)).toHaveCount(2);
  await expect(tabs(page).nth(0)).toHaveAttribute('data-interaction-id', firstCall);
  await expect(tabs(page).nth(0)).toHaveAttribute('aria-selected', 'false');
  await expect(tabs(page).nth(0).getByTestId('interaction-has-draft')).toBeVisible();
  await expect(tabs(page).nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('outcome-note')).toHaveValue('');
  await expect(page.getByTestId('wrap-up')).toHaveCount(0);
  await screenshotBothLanguages(page, 'interactions-two-calls', () => expect(page.getByTestId('open-interactions')).toContainText('Open calls'));

  await page.keyboard.press('Alt+I');
  await expect(tabs(page).nth(0)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('card-name')).toContainText(first.name);
  await expect(page.getByTestId('outcome-declined')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('outcome-reason')).toHaveValue('price');
  await expect(page.getByTestId('outcome-note')).toHaveValue('嫌贵,下月合约到期再谈');
  await expect(page.getByTestId('wrap-up')).toBeVisible();

  // Saving the first call's outcome closes it; the second stays open.
  await page.keyboard.press('Alt+S');
  await expect(page.getByTestId('outcome-saved')).toBeVisible();
  await expect(tabs(page)).toHaveCount(1);
  await expect(tabs(page)).toHaveAttribute('data-interaction-id', secondCall);
  await expect
    .poll(async () => (await storedOutcomesForCall(supervisor, firstCall)).length, { message: 'the outcome reaches the server', timeout: 30_000 })
    .toBe(1);
  expect((await storedOutcomesForCall(supervisor, firstCall))[0]!.draft).toMatchObject({
    result: 'declined',
    declineReason: 'price',
    note: '嫌贵,下月合约到期再谈',
  });
});

test('a reload during the wrap-up brings back the card and the draft', async ({ page }) => {
  await startClean(page);
  const supervisor = await apiToken('sup01');
  const { customer } = await warnedCustomer(supervisor, { mostAtRisk: true, rank: 4 });
  const callId = `e2e-int-reload-${Date.now()}`;
  await call(callId, customer.phone, 'offered');
  await expect(page.getByTestId('card-name')).toContainText(customer.name);
  await call(callId, customer.phone, 'ended');
  await expect(page.getByTestId('wrap-up')).toBeVisible();

  await page.keyboard.press('Alt+3');
  await page.getByTestId('outcome-callback-at').fill('2099-01-15T10:30');
  await page.keyboard.press('Alt+N');
  await page.keyboard.type('客户在外地,下周回访');
  // Saved as typed (a short debounce): the desk cache has it before the page goes.
  await expect
    .poll(async () => {
      const listed = (await invoke(page, 'interaction/list', {})).value as { interactions: { draft: { note: string } }[] };
      return listed.interactions[0]?.draft.note;
    })
    .toBe('客户在外地,下周回访');

  await page.reload();
  await expect(page.getByTestId('card-name')).toContainText(customer.name);
  await expect(page.getByTestId('wrap-up')).toBeVisible();
  await expect(page.getByTestId('outcome-callback')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('outcome-callback-at')).toHaveValue('2099-01-15T10:30');
  await expect(page.getByTestId('outcome-note')).toHaveValue('客户在外地,下周回访');
  await screenshotBothLanguages(page, 'interactions-after-reload', () => expect(page.getByTestId('wrap-up')).toContainText('Wrap-up'));
});

test('a discard needs an explicit confirmation and goes to the audit log; the desk refuses one without it', async ({ page }) => {
  await startClean(page);
  const [, , , , caller] = await activeCustomers(await apiToken('sup01'), 5);
  const callId = `e2e-int-discard-${Date.now()}`;
  await call(callId, caller!.phone, 'offered');
  await expect(page.getByTestId('card-name')).toContainText(caller!.name);
  await page.keyboard.press('Alt+N');
  await page.keyboard.type('打错电话');

  const unconfirmed = await invoke(page, 'interaction/discard', { interactionId: callId });
  expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  expect(unconfirmed.error?.message).toContain('confirmed');

  await page.keyboard.press('Alt+D');
  await expect(page.getByTestId('discard-confirm')).toBeVisible();
  await expect(page.getByTestId('discard-keep')).toBeFocused();
  await screenshotBothLanguages(page, 'interactions-discard', () => expect(page.getByTestId('discard-confirm')).toContainText('audit log'));
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('discard-confirm')).toHaveCount(0);
  await expect(tabs(page)).toHaveCount(1);

  await page.getByTestId('interaction-discard').click();
  await page.getByTestId('discard-reason').fill('客户拨错号码');
  await page.getByTestId('discard-yes').click();
  await expect(page.getByTestId('open-interactions')).toHaveCount(0);
  await expect(page.getByTestId('card')).toHaveCount(0);
  expect(((await invoke(page, 'interaction/list', {})).value as { interactions: unknown[] }).interactions).toEqual([]);
});

test('a complaint asks its category and a note, and can be undone before it is logged', async ({ page }) => {
  await startClean(page);
  const { customer } = await warnedCustomer(await apiToken('sup01'), { mostAtRisk: true, rank: 5 });
  const callId = `e2e-int-complaint-${Date.now()}`;
  await call(callId, customer.phone, 'offered');
  await expect(page.getByTestId('card-name')).toContainText(customer.name);

  await page.keyboard.press('Alt+C');
  await expect(page.getByTestId('complaint-category-billing')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('complaint-problem')).toHaveText('请选择投诉类别');
  await page.getByTestId('complaint-category-network').check();
  await page.getByTestId('complaint-note').fill('晚上室内没有信号');
  await screenshotBothLanguages(page, 'interactions-complaint', () => expect(page.getByTestId('complaint-form')).toContainText('Network'));

  await page.getByTestId('complaint-submit').click();
  await expect(page.getByTestId('complaint-pending')).toBeVisible();
  await page.getByTestId('complaint-undo').click();
  await expect(page.getByTestId('complaint-pending')).toHaveCount(0);
  await expect(page.getByTestId('complaint-category-network')).toBeChecked();
  await expect(page.getByTestId('complaint-note')).toHaveValue('晚上室内没有信号');
  await expect(page.getByTestId('customer-event-saved')).toHaveCount(0);

  await page.keyboard.press('Enter');
  await expect(page.getByTestId('complaint-pending')).toBeVisible();
  await expect(page.getByTestId('customer-event-saved')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('customer-event-saved')).toHaveAttribute('data-kind', 'complaint');
  await page.screenshot({ path: 'test-results/screens/interactions-complaint-logged-zh.png', fullPage: true });
});
