// The supervisor's retention-programme report in the browser, as sup01 (read only: no calls, no
// queue). The e2e book has no programme past (no --demo-history-days), so every programme has just
// been assigned: the report says plainly that the data is not enough yet, with the group sizes.
import { expect, test } from '@playwright/test';
import { logInAs, screenshotBothLanguages } from './support/desk-page';

test('the programme report says in both languages that the data is not enough yet', async ({ page }) => {
  await page.goto('/');
  await logInAs(page, 'sup01');
  const programmes = page.getByTestId('programmes');
  await expect(programmes).toBeVisible();
  const cards = programmes.getByTestId('programme');
  await expect(cards).toHaveCount(2);
  for (const card of await cards.all()) {
    await expect(card).toHaveAttribute('data-verdict', 'notEnough');
    await expect(card.getByTestId('programme-verdict')).toContainText('数据尚不足');
    await expect(card.getByTestId('programme-window')).toHaveCount(3);
  }
  await expect(programmes).not.toContainText('PRG-');
  await programmes.scrollIntoViewIfNeeded();
  // The panel itself at 1280x800, scrolled into view, to read its words in each language.
  await page.screenshot({ path: 'test-results/screens/supervisor-programmes-panel-zh.png' });
  await page.getByTestId('lang-switch').selectOption('en');
  await expect(cards.first().getByTestId('programme-verdict')).toContainText('Not enough data yet');
  await programmes.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/supervisor-programmes-panel-en.png' });
  await page.getByTestId('lang-switch').selectOption('zh-CN');
  await screenshotBothLanguages(page, 'supervisor-programmes', () =>
    expect(cards.first().getByTestId('programme-verdict')).toContainText('Not enough data yet'),
  );
});
