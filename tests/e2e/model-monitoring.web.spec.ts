// The models page in the browser, as admin01 (no other spec uses admin01 at the same time: specs run
// one at a time). The e2e book is freshly seeded: its champion is registered, no score has been kept
// against realised churn yet, so the page says plainly there is not enough realised churn, and
// shows drift against the champion's training data. A second pass fills the answer with realised
// months, a challenger and a drifted feature (the desk's real answer, extended in the browser's
// route) to look at the charts and the flagged drift in both languages.
import { expect, test, type Page } from '@playwright/test';
import type { ModelMonitoringReport } from '../../shared/contract/model-registry';
import { logInAs } from './support/desk-page';

async function screenshots(page: Page, name: string, englishMarker: () => Promise<void>) {
  await page.screenshot({ path: `test-results/screens/${name}-zh.png`, fullPage: true });
  await page.getByTestId('lang-switch').selectOption('en');
  await englishMarker();
  await page.screenshot({ path: `test-results/screens/${name}-en.png`, fullPage: true });
  await page.getByTestId('lang-switch').selectOption('zh-CN');
}

function measured(report: ModelMonitoringReport): ModelMonitoringReport {
  const calibration = Array.from({ length: 10 }, (_, i) => ({
    decile: i + 1,
    customers: 180,
    meanPredicted: 0.004 * (i + 1) ** 2,
    observedRate: 0.0045 * (i + 1) ** 2,
  }));
  const month = (m: string, auc: number, lift: number, windowClosed = true) => ({
    month: m,
    customers: 1800,
    churned: 96,
    windowClosed,
    enough: true,
    auc,
    topDecileLift: lift,
    brier: 0.05,
    calibration,
  });
  // About the demo book's realised churn among warned customers: red 26 %, orange 12 %, yellow 6.4 %, unwarned 2.8 %.
  const level = (name: 'red' | 'orange' | 'yellow', target: number, customers: number, churned: number, above: [number, number]) => ({
    level: name,
    target,
    trainingPrecision: target + 0.004,
    customers,
    churned,
    precision: churned / customers,
    customersAtOrAbove: above[0],
    churnedAtOrAbove: above[1],
    precisionAtOrAbove: above[1] / above[0],
    recall: above[1] / 96,
    farBelowTarget: name === 'red',
  });
  const warnings = (m: string) => ({
    month: m,
    customers: 1800,
    churned: 96,
    levels: [level('red', 0.7, 50, 13, [50, 13]), level('orange', 0.5, 125, 15, [175, 28]), level('yellow', 0.3, 500, 32, [675, 60])],
    unwarnedCustomers: 1125,
    unwarnedChurned: 36,
  });
  return {
    ...report,
    warningPrecision: [warnings('2026-07'), warnings('2026-08')],
    challenger: report.champion === null ? null : { ...report.champion, modelId: 'book-gbdt-challenger', status: 'challenger' },
    months: [
      month('2026-06', 0.83, 3.9),
      month('2026-07', 0.82, 3.7),
      month('2026-08', 0.8, 3.4),
      month('2026-09', 0.79, 3.2, false),
      { ...month('2026-10', 0, 0, false), churned: 11, enough: false, auc: null, topDecileLift: null, brier: null, calibration: [] },
    ],
    drift: report.drift.map((d) => (d.feature === 'complaints_30d' ? { ...d, psi: 0.41, flagged: true } : d)),
    shadow: { modelId: 'book-gbdt-challenger', customers: 900, churned: 48, enough: true, championAuc: 0.812, challengerAuc: 0.834 },
  };
}

test('the models page says there is not enough realised churn yet, and shows drift, charts and the shadow comparison', async ({ page }) => {
  // Charts drawn at once, not caught half-way through their animation.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/');
  await logInAs(page, 'admin01');
  await page.getByTestId('page-models').click();
  const notEnough = page.getByTestId('not-enough-churn');
  await expect(notEnough).toContainText('已实现的流失还不够');
  await expect(page.getByTestId('model-champion')).toHaveAttribute('data-model-id', /book-gbdt-/);
  await expect(page.getByTestId('model-challenger')).toContainText('没有挑战者模型');
  await expect(page.getByTestId('drift-row')).toHaveCount(13);
  await expect(page.getByTestId('model-drift')).not.toContainText('complaints_30d');
  await screenshots(page, 'models-not-enough', () => expect(notEnough).toContainText('Not enough realised churn yet'));

  await page.route('**/api/invoke/reports/models', async (route) => {
    const response = await route.fetch();
    // The browser host answers { ok, value: the operation's output }.
    const body = (await response.json()) as { ok: true; value: { report: ModelMonitoringReport; cachedAt: string | null } };
    await route.fulfill({ response, json: { ...body, value: { ...body.value, report: measured(body.value.report) } } });
  });
  await page.getByTestId('models-refresh').click();
  await expect(page.getByTestId('chart-calibration')).toBeVisible();
  await expect(page.getByTestId('model-month')).toHaveCount(5);
  await expect(page.getByTestId('drift-row').first()).toHaveAttribute('data-flagged', 'true');
  await expect(page.getByTestId('shadow-compare')).toContainText('0.834');
  await screenshots(page, 'models-measured', () => expect(page.getByTestId('shadow-compare')).toContainText('challenger AUC 0.834'));

  await expect(page.getByTestId('warning-precision-row')).toHaveCount(8);
  await expect(page.getByTestId('red-far-below-target')).toContainText('红色预警不等于');
  await page.getByTestId('warning-precision').scrollIntoViewIfNeeded();
  await screenshots(page, 'models-warning-precision', () => expect(page.getByTestId('red-far-below-target')).toContainText('A red warning does not mean'));

  // The page scrolls inside its main area: the shadow comparison and the drift table below the charts.
  await page.getByTestId('model-drift').scrollIntoViewIfNeeded();
  await screenshots(page, 'models-measured-drift', () => expect(page.getByTestId('model-drift')).toContainText('Drift above threshold'));

  // Back to the retention review: the tabs move between the two pages.
  await page.getByTestId('page-retention').click();
  await expect(page.getByTestId('page-retention')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('models-refresh')).toHaveCount(0);
});
