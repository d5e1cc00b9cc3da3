// Issue 14 §2-3 in the browser: the card never contradicts itself. A calm caller shows no warning
// and no risk reason it cannot stand behind; a caller with complaints shows the warning level of
// the probability shown, the complaints among the reasons, a first offer that is worth most or says
// why it is first, care labelled as care, and scripts with no raw placeholder. Both languages.
import { expect, test, type Page } from '@playwright/test';
import { SyncChangesResponse } from '../../shared/contract/central-api';
import type { Customer, CustomerScore } from '../../shared/contract/entities';
import { shownPercent } from '../../shared/domain/probability';
import { apiToken, ctiEvent } from './support/central-api';
import { logInAs, screenshotBothLanguages, waitForFullCache } from './support/desk-page';
import { E2E_API_URL, E2E_CUSTOMERS } from './support/e2e-env';

const AGENT = 'agent04';

test.beforeEach(async ({ request }) => {
  await request.post('/api/invoke/session/logout', { data: {} });
});

/** Active customers of the book with the scores the server published. */
async function scoredBook(): Promise<{ customer: Customer; score: CustomerScore }[]> {
  const token = await apiToken('sup01');
  const response = await fetch(`${E2E_API_URL}/sync/changes?after=0&limit=5000`, { headers: { authorization: `Bearer ${token}` } });
  const changes = SyncChangesResponse.parse(await response.json()).changes;
  const scores = new Map(changes.flatMap((c) => (c.op === 'upsert' && c.entity === 'score' ? [[c.id, c.data] as const] : [])));
  return changes.flatMap((c) => {
    if (c.op !== 'upsert' || c.entity !== 'customer' || c.data.status !== 'active') return [];
    const score = scores.get(c.data.id);
    return score ? [{ customer: c.data, score }] : [];
  });
}

async function ring(page: Page, customer: Customer, tag: string): Promise<void> {
  await logInAs(page, AGENT);
  await waitForFullCache(page, E2E_CUSTOMERS);
  await ctiEvent({ callId: `e2e-truth-${tag}-${Date.now()}`, ani: customer.phone, agentId: AGENT, event: 'offered' });
  await expect(page.getByTestId('card-name')).toContainText(customer.name);
}

const percentShown = (p: number) => (shownPercent(p) === 0 ? '< 1%' : `${shownPercent(p)}%`);
const yuan = (text: string) => Number(text.replace(/[^\d.-]/g, ''));

test('a calm caller: the probability shown, no warning, and no reason the card cannot stand behind', async ({ page }) => {
  const book = await scoredBook();
  const calm = book
    .filter(({ customer, score }) => score.warningLevel === 'none' && customer.complaints30d === 0 && customer.networkIssues90d === 0)
    .sort((a, b) => a.score.churnProbability - b.score.churnProbability)[0];
  expect(calm, 'the book has a calm customer').toBeDefined();
  await page.goto('/');
  await ring(page, calm!.customer, 'calm');

  await expect(page.getByTestId('card-risk')).toHaveText(percentShown(calm!.score.churnProbability));
  await expect(page.getByTestId('card-warning')).toHaveAttribute('data-level', 'none');
  await expect(page.getByTestId('card-risk-reasons')).not.toContainText(/ 0%|0%\)/);
  for (const line of await page.getByTestId('script').allTextContents()) expect(line).not.toMatch(/[{}[\]]|您您/);
  await screenshotBothLanguages(page, 'card-truth-calm', () => expect(page.getByTestId('card')).toContainText('Offer outcome'));
});

test('a caller with complaints: warned at the level of the probability shown, complaints named, the first offer worth most or saying why', async ({ page }) => {
  const book = await scoredBook();
  const complaining = book
    .filter(({ customer, score }) => customer.complaints30d >= 2 && score.warningLevel !== 'none' && score.topReasons.some((r) => r.code === 'complaints_30d'))
    .sort((a, b) => b.score.churnProbability - a.score.churnProbability)[0];
  expect(complaining, 'the book has a warned customer with complaints').toBeDefined();
  const { customer, score } = complaining!;
  await page.goto('/');
  await ring(page, customer, 'complaints');

  await expect(page.getByTestId('card-risk')).toHaveText(percentShown(score.churnProbability));
  await expect(page.getByTestId('card-warning')).toHaveAttribute('data-level', score.warningLevel);
  await expect(page.getByTestId('card-risk-reasons')).toContainText(`近30天投诉 ${customer.complaints30d} 次`);

  // The first offer has the highest expected value shown, or says why it is first.
  const values: number[] = [];
  for (const id of ['offer-alt-0', 'offer-alt-1']) {
    const alternative = page.getByTestId(id);
    if ((await alternative.count()) > 0 && (await alternative.getByTestId('offer-ev').count()) > 0)
      values.push(yuan(await alternative.getByTestId('offer-ev').locator('strong').innerText()));
  }
  const best = page.getByTestId('offer-best');
  if ((await best.getByTestId('offer-ev').count()) > 0) {
    const first = yuan(await best.getByTestId('offer-ev').locator('strong').innerText());
    if (values.some((v) => v > first)) await expect(best.getByTestId('offer-why')).toContainText('排第一');
  } else {
    await expect(best.getByTestId('offer-care-cost')).toContainText('关怀动作');
    await expect(best.getByTestId('offer-why')).toContainText('排第一');
  }
  for (const line of await page.getByTestId('script').allTextContents()) expect(line).not.toMatch(/[{}[\]]|您您/);
  await screenshotBothLanguages(page, 'card-truth-complaints', () => expect(page.getByTestId('card-risk-reasons')).toContainText('complaint'));
});
