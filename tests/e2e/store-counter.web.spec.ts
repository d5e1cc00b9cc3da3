// The store clerk's counter at 1280x800 in both languages, as store01 against the real desk
// backend and central API: a name typed in pinyin (initials and full) finds the customer, the
// result list says how many matched (and when it is capped) with aligned rows, ex-customers too;
// the card's identity check shows the whole ID number, and counter actions replace the phone script.
import { expect, test, type Page } from '@playwright/test';
import { pinyin } from 'pinyin-pro';
import { namePinyin } from '../../db/cache/pinyin-keys';
import { SyncChangesResponse } from '../../shared/contract/central-api';
import type { Customer } from '../../shared/contract/entities';
import { apiToken } from './support/central-api';
import { logInAs, screenshotBothLanguages, waitForFullCache } from './support/desk-page';
import { E2E_API_URL, E2E_CUSTOMERS } from './support/e2e-env';

test.beforeEach(async ({ request }) => {
  await request.post('/api/invoke/session/logout', { data: {} });
});

async function bookCustomers(): Promise<Customer[]> {
  const response = await fetch(`${E2E_API_URL}/sync/changes?after=0&limit=5000`, { headers: { authorization: `Bearer ${await apiToken('sup01')}` } });
  return SyncChangesResponse.parse(await response.json()).changes.flatMap((change) =>
    change.op === 'upsert' && change.entity === 'customer' ? [change.data] : [],
  );
}

async function searchFor(page: Page, query: string) {
  await page.keyboard.press('Alt+L');
  await page.getByTestId('search-input').fill(query);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('search-results')).toBeVisible();
}

/** Every row's cells start at the same x as the column headings: the list is aligned. */
async function columnStarts(page: Page): Promise<number[][]> {
  return page.locator('.search-panel .search-row').evaluateAll((rows) =>
    // The spec compiles without the DOM library: the row is described by what is read from it.
    rows.map((row) =>
      Array.from((row as unknown as { children: ArrayLike<{ getBoundingClientRect(): { left: number } }> }).children, (cell) =>
        Math.round(cell.getBoundingClientRect().left),
      ),
    ),
  );
}

test('the clerk finds a customer by pinyin initials and full pinyin; the list counts its matches and lines up', async ({ page }) => {
  const book = await bookCustomers();
  const customer = book.find((c) => c.status === 'active' && [...c.name].length === 3)!;
  const churned = book.find((c) => c.status === 'churned')!;
  const reading = namePinyin(customer.name);

  await page.goto('/');
  await logInAs(page, 'store01');
  await waitForFullCache(page, E2E_CUSTOMERS);

  // Full pinyin with a space after the surname, as a clerk types it.
  const [surname, ...given] = pinyin(customer.name, { type: 'array', toneType: 'none', surname: 'head', v: true });
  expect(`${surname}${given.join('')}`).toBe(reading.full);
  await searchFor(page, `${surname} ${given.join('')}`);
  const first = page.getByTestId('search-match').first();
  await expect(first).toContainText(customer.name);
  await expect(first.locator('.matched-on')).toHaveText('拼音');
  await expect(page.getByTestId('search-count')).toHaveText(/^\d+ 位匹配客户$/);

  await searchFor(page, reading.initials);
  await expect(page.getByTestId('search-match').filter({ hasText: customer.name }).first()).toBeVisible();
  await screenshotBothLanguages(page, 'store-counter-pinyin', () => expect(page.getByTestId('search-count')).toHaveText(/match/));

  // A surname alone matches more customers than the list shows: it says so.
  await searchFor(page, [...customer.name][0]!);
  await expect(page.getByTestId('search-count')).toHaveAttribute('data-truncated', 'true');
  await expect(page.getByTestId('search-count')).toContainText('显示前 20 位');

  // An ex-customer's row has the same columns as the others.
  await searchFor(page, churned.name);
  await expect(page.getByTestId('search-match').filter({ hasText: churned.name }).first()).toContainText('已离网');
  const starts = await columnStarts(page);
  expect(starts.length).toBeGreaterThan(1);
  for (const row of starts) expect(row).toEqual(starts[0]);
  const panel = await page.getByTestId('search-panel').boundingBox();
  expect(panel!.width, 'the list uses the width of the window').toBeGreaterThan(1100);
  await screenshotBothLanguages(page, 'store-counter-churned', () => expect(page.getByTestId('search-count')).toHaveText(/match/));
});

/** Opens the first match for a name; the card's ID number starts masked. */
async function openCard(page: Page, name: string): Promise<string> {
  await searchFor(page, name);
  await page.getByTestId('search-match').filter({ hasText: name }).first().click();
  await expect(page.getByTestId('card-name')).toContainText(name);
  return (await page.getByTestId('id-number-masked').textContent())!;
}

/** Check ID card → tick the confirmation (by keyboard) → show the number: the whole number fits the masked one. */
async function checkIdCard(page: Page, masked: string): Promise<void> {
  await page.getByTestId('id-check-start').click();
  await expect(page.getByTestId('id-check-confirmed')).toBeFocused();
  await expect(page.getByTestId('id-check-reveal')).toBeDisabled();
  await page.keyboard.press('Space');
  await page.getByTestId('id-check-reveal').click();
  const full = page.getByTestId('id-number-full');
  await expect(full).toBeVisible();
  const number = (await full.locator('.id-number').textContent())!;
  expect(number).toMatch(/^\d{17}[\dX]$/);
  expect(number).toMatch(new RegExp(`^${masked.replaceAll('*', '.')}$`));
}

test('the clerk checks the ID card to see the whole ID number, on that card only; the card lists counter actions, not phone lines', async ({ page }) => {
  const [first, second] = (await bookCustomers()).filter((c) => c.status === 'active' && [...c.name].length === 3);

  await page.goto('/');
  await logInAs(page, 'store01');
  await waitForFullCache(page, E2E_CUSTOMERS);

  const masked = await openCard(page, first!.name);
  await expect(page.getByTestId('counter-action-check_id')).toHaveText('核验身份证');
  await expect(page.getByTestId('script-opening')).toHaveCount(0);
  await expect(page.getByTestId('card')).not.toContainText('感谢您来电');
  await page.getByTestId('id-check-start').click();
  await expect(page.getByTestId('id-check-confirm')).toContainText('我已核对客户本人与身份证一致');
  await screenshotBothLanguages(page, 'store-counter-id-confirm', () => expect(page.getByTestId('id-check-confirm')).toContainText('I have checked'));
  await page.getByTestId('id-check-cancel').click();

  await checkIdCard(page, masked);
  await expect(page.getByTestId('counter-action-check_id')).toHaveAttribute('data-done', 'true');
  await screenshotBothLanguages(page, 'store-counter-id-checked', async () => {
    await expect(page.getByTestId('id-number-full')).toContainText('ID card checked');
    await expect(page.getByTestId('counter-action-check_id')).toHaveText('Check the ID card');
    await expect(page.getByTestId('card')).not.toContainText(/thanks? (you )?for calling/i);
  });

  // In English, on the next customer's card: masked again until checked again.
  await page.getByTestId('lang-switch').selectOption('en');
  const nextMasked = await openCard(page, second!.name);
  await expect(page.getByTestId('id-number-full')).toHaveCount(0);
  await expect(page.getByTestId('id-check-start')).toHaveText('Check ID card');
  await checkIdCard(page, nextMasked);
  await page.getByTestId('lang-switch').selectOption('zh-CN');
});
