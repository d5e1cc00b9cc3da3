// The store clerk's counter at 1280x800 in both languages, as store01 against the real desk
// backend and central API: a name typed in pinyin (initials and full) finds the customer, the
// result list says how many matched (and when it is capped) with aligned rows, ex-customers too.
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
