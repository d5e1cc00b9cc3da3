// The agent's call, walked the same way in the browser and in Electron: a ringing call paints the
// caller's card with three offers, the agent walks the script by keyboard and records a declined
// outcome with its reason, and the outcome reaches the server.
import { expect, type Page } from '@playwright/test';
import { apiToken, ctiEvent, storedOutcomesForCall, warnedCustomer } from './central-api';
import { logInAs, screenshotBothLanguages, waitForFullCache } from './desk-page';
import { E2E_CUSTOMERS } from './e2e-env';
import { expectAgentCardFitsInBothLanguages } from './layout';

export interface CallFlowOptions {
  agentId: string;
  /** Which of the customers most at risk calls (0 = the most): each shell's test takes its own. */
  callerRank: number;
  callIdPrefix: string;
  /** Screenshot names start with it: test-results/screens/<screens>-card-zh.png, ... */
  screens: string;
  /** Checks that the card fits the window (the browser test runs at 1280x800; Electron's window is its own). */
  checkLayout?: boolean;
}

export async function walkDeclinedCall(page: Page, { agentId, callerRank, callIdPrefix, screens, checkLayout = false }: CallFlowOptions): Promise<void> {
  await logInAs(page, agentId);
  await waitForFullCache(page, E2E_CUSTOMERS);

  const supervisor = await apiToken('sup01');
  const { customer: caller, score } = await warnedCustomer(supervisor, { mostAtRisk: true, rank: callerRank });
  const callId = `${callIdPrefix}-${Date.now()}`;
  await ctiEvent({ callId, ani: caller.phone, agentId, event: 'offered' });

  await expect(page.getByTestId('incoming-call')).toBeVisible();
  await expect(page.getByTestId('card-name')).toContainText(caller.name);
  await expect(page.getByTestId('card-phone')).toContainText(caller.phone.slice(-4));
  await expect(page.getByTestId('card-warning')).toHaveAttribute('data-level', score.warningLevel);
  await expect(page.getByTestId('card-stage')).toHaveAttribute('data-stage', score.stage);
  await expect(page.getByTestId('card-risk-reasons').locator('li')).toHaveCount(score.topReasons.length);
  await expect(page.getByTestId('decision')).toBeVisible();
  // The wrap-up notice waits for the call to end; while it rings the call is listed as open.
  await expect(page.getByTestId('wrap-up')).toHaveCount(0);
  await expect(page.getByTestId('interaction-tab')).toHaveAttribute('data-state', 'ringing');

  // The best offer and two alternatives, each with its expected value and breakdown.
  // (Up to three: an offer that cannot pay is left off.) A care action shows what it costs instead (it is not sold).
  await expect(page.getByTestId('offer-alt-0')).toBeVisible();
  for (const offer of [page.getByTestId('offer-best'), ...(await page.locator('[data-testid^="offer-alt-"]').all())]) {
    await expect(offer.getByTestId('offer-ev').or(offer.getByTestId('offer-care-cost'))).toContainText('¥');
    if ((await offer.getByTestId('offer-care-cost').count()) === 0) await expect(offer.getByTestId('offer-p-accept')).toContainText('%');
  }
  if (checkLayout) await expectAgentCardFitsInBothLanguages(page);
  await screenshotBothLanguages(page, `${screens}-card`, () => expect(page.getByTestId('card-warning')).toContainText(/warning/i));

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
  await page.screenshot({ path: `test-results/screens/${screens}-outcome-zh.png`, fullPage: true });
}
