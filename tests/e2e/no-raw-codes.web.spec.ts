// No raw codes on any screen, and the export buttons do what they say. Walks the supervisor view
// (admin01: every team; sup01: own team), the store counter (store01) and an agent's call
// (agent02, rung here with this file's own call ids) in both languages, and fails on any visible
// text that is an internal code: offer or experiment ids, segments, snake_case reasons, English
// codes on the Chinese screen, null/undefined/NaN. Then downloads the Excel and CSV exports and
// reads them back. Outcomes enough to fill a real export are recorded through the API as sup01
// (supervisors may record outcomes; sup01 takes no calls and has no outbound queue), for customers
// no spec picks (not warned, not the first active ones), so no other spec's cards or queues change.
import { expect, test, type Page } from '@playwright/test';
import Papa from 'papaparse';
import readXlsxFile from 'read-excel-file/node';
import { readFile } from 'node:fs/promises';
import { v7 as uuidv7 } from 'uuid';
import { OutcomeBatchResponse, SyncChangesResponse } from '../../shared/contract/central-api';
import type { Customer, Offer } from '../../shared/contract/entities';
import type { Outcome, OutcomeDraft } from '../../shared/contract/outcomes';
import { activeCustomers, apiToken, ctiEvent, warnedCustomer } from './support/central-api';
import { logInAs, waitForFullCache } from './support/desk-page';
import { E2E_API_URL, E2E_CUSTOMERS } from './support/e2e-env';

/** Internal codes a person must never read, in either language. */
const RAW_CODES: readonly RegExp[] = [
  /\bOFF-[A-Z0-9-]+/,
  /\bEXP-[A-Z0-9-]+/,
  /\b(prospect|[A-E])\/(platinum|gold|silver|bronze|none)\b/,
  /\bnull\b|\bundefined\b|\bNaN\b|\[object Object\]/,
  /\b[a-z]+_[a-z_]+\b/,
];
/** Codes that are English words: on the Chinese screen they are untranslated codes too. */
const ENGLISH_CODES_IN_CHINESE =
  /\b(accepted|declined|callback|hotline|store|outbound|retention|upsell|crosssell|winback|care|acquisition|platinum|gold|silver|bronze|red|orange|yellow|price|network|competitor|service|other|pending|synced|dead|active|churned)\b/;

/** Every visible text of the page, with the options of its drop-downs. */
async function visibleText(page: Page): Promise<string> {
  const body = await page.locator('body').innerText();
  const options = await page.locator('select option').allTextContents();
  return `${body}\n${options.join('\n')}`;
}

async function expectNoRawCodes(page: Page, screenName: string): Promise<void> {
  const language = await page.locator('html').getAttribute('lang');
  const text = await visibleText(page);
  const patterns = language === 'zh-CN' ? [...RAW_CODES, ENGLISH_CODES_IN_CHINESE] : RAW_CODES;
  for (const pattern of patterns) {
    const found = text.match(pattern);
    expect(found?.[0], `${screenName} (${language}) shows the code "${found?.[0]}" (${pattern})`).toBeUndefined();
  }
}

/** Checks the screen in Chinese and in English, with a screenshot of each (test-results/screens/). */
async function walkBothLanguages(page: Page, name: string, englishMarker: () => Promise<void>, chineseMarker: () => Promise<void>): Promise<void> {
  await page.getByTestId('lang-switch').selectOption('zh-CN');
  await chineseMarker();
  await expectNoRawCodes(page, name);
  await page.screenshot({ path: `test-results/screens/codes-${name}-zh.png`, fullPage: true });
  await page.getByTestId('lang-switch').selectOption('en');
  await englishMarker();
  await expectNoRawCodes(page, name);
  await page.screenshot({ path: `test-results/screens/codes-${name}-en.png`, fullPage: true });
  await page.getByTestId('lang-switch').selectOption('zh-CN');
}

async function firstChanges(token: string) {
  const response = await fetch(`${E2E_API_URL}/sync/changes?after=0&limit=5000`, { headers: { authorization: `Bearer ${token}` } });
  return SyncChangesResponse.parse(await response.json()).changes;
}

/** The catalogue's offers, and active customers without a warning past the first few (which other specs use). */
async function seedTargets(token: string): Promise<{ offers: Offer[]; customers: Customer[] }> {
  const changes = await firstChanges(token);
  const warned = new Set(changes.flatMap((c) => (c.op === 'upsert' && c.entity === 'score' && c.data.warningLevel !== 'none' ? [c.id] : [])));
  const active = changes.flatMap((c) => (c.op === 'upsert' && c.entity === 'customer' && c.data.status === 'active' ? [c.data] : []));
  return {
    offers: changes.flatMap((c) => (c.op === 'upsert' && c.entity === 'offer' ? [c.data] : [])),
    customers: active
      .slice(20)
      .filter((c) => !warned.has(c.id))
      .slice(0, 50),
  };
}

const SEEDED_OUTCOMES = 400;
const SEED_AGENT = 'sup01';
const DECLINE_REASONS = ['price', 'already_has', 'no_need', 'competitor'] as const;

/** Outcomes of every kind for the export: accepted, declined with reasons, callbacks, not presented (no offer). */
function seededDraft(i: number, customer: Customer, offers: readonly Offer[], now: Date): OutcomeDraft {
  const offer = offers[i % offers.length]!;
  const context = {
    modelVersion: 'e2e',
    stage: (['C', 'D', 'E'] as const)[i % 3]!,
    valueTier: (['gold', 'bronze', null] as const)[i % 3]!,
    warningLevel: (['red', 'none', 'yellow'] as const)[i % 3]!,
    churnProbability: 0.4,
    segment: ['C/gold', 'D/bronze', 'E/none'][i % 3]!,
    rank: 1,
    expectedValue: 20 + (i % 9),
    pAccept: 0.3,
    explored: false,
    arpu3m: 88,
  };
  const base = { callId: null, customerId: customer.id, phone: null, note: '', channel: (['hotline', 'outbound'] as const)[i % 2]!, context };
  switch (i % 4) {
    case 0:
      return { ...base, offerId: offer.id, result: 'accepted', callbackAt: null, declineReason: null, notPresentedReason: null };
    case 1:
      return {
        ...base,
        offerId: offer.id,
        result: 'declined',
        callbackAt: null,
        declineReason: DECLINE_REASONS[i % DECLINE_REASONS.length]!,
        notPresentedReason: null,
      };
    case 2:
      return {
        ...base,
        offerId: offer.id,
        result: 'callback',
        callbackAt: new Date(now.getTime() + 86_400_000).toISOString(),
        declineReason: null,
        notPresentedReason: null,
      };
    default:
      return { ...base, offerId: null, result: 'not_presented', callbackAt: null, declineReason: null, notPresentedReason: 'customer_busy' };
  }
}

test.beforeAll(async () => {
  const token = await apiToken(SEED_AGENT);
  const { offers, customers } = await seedTargets(token);
  expect(customers.length).toBeGreaterThan(10);
  const now = new Date();
  const deviceId = `e2e-no-raw-codes-${now.getTime()}`;
  const outcomes: Outcome[] = Array.from({ length: SEEDED_OUTCOMES }, (_, i) => ({
    outcomeId: uuidv7(),
    deviceId,
    clientSeq: i + 1,
    agentId: SEED_AGENT,
    // Spread over the last hours of the period, all today or yesterday in China.
    recordedAt: new Date(now.getTime() - (i + 1) * 60_000).toISOString(),
    draft: seededDraft(i, customers[i % customers.length]!, offers, now),
  }));
  for (let start = 0; start < outcomes.length; start += 200) {
    const response = await fetch(`${E2E_API_URL}/outcomes/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ deviceId, items: outcomes.slice(start, start + 200) }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    OutcomeBatchResponse.parse(await response.json());
  }
});

// The browser-mode host is one desk: end any session a previous test left behind.
test.beforeEach(async ({ request }) => {
  await request.post('/api/invoke/session/logout', { data: {} });
});

test('the supervisor view shows words, not codes: tiles, experiments, the outcome table and every grouping, in both languages', async ({ page }) => {
  await page.goto('/');
  await logInAs(page, 'admin01');
  await expect(page.getByTestId('outcome-row').first()).toBeVisible();
  await expect(page.getByTestId('experiment-arm').first()).toBeVisible();
  const groupBy = page.getByTestId('report-group-by');
  await walkBothLanguages(
    page,
    'supervisor',
    () => expect(page.getByTestId('kpi-tiles')).toContainText('Save rate'),
    () => expect(page.getByTestId('kpi-tiles')).toContainText('挽留成功率'),
  );
  for (const column of ['offerId', 'segment', 'agentId', 'stage']) {
    await groupBy.selectOption(column);
    await expect(page.getByTestId('outcome-group').first()).toBeVisible();
    await walkBothLanguages(
      page,
      `supervisor-by-${column}`,
      () => expect(page.getByTestId('outcomes-table')).toContainText('Group by'),
      () => expect(page.getByTestId('outcomes-table')).toContainText('分组'),
    );
  }
  // Rows without an offer group under "no offer", in words.
  await groupBy.selectOption('offerId');
  await expect(page.getByTestId('outcome-group').filter({ hasText: '未推荐方案' })).toHaveCount(1);
  await groupBy.selectOption('');

  // A KPI tile filters the table to the rows behind it: the acceptance rate's denominator.
  const acceptance = page.getByTestId('kpi-acceptanceRate');
  const denominator = Number(await acceptance.getAttribute('data-base'));
  await acceptance.click();
  await expect(page.getByTestId('report-row-count')).toHaveAttribute('data-count', String(denominator));
  await expect(page.getByTestId('report-drill')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/supervisor-drill-zh.png', fullPage: true });
  await page.getByTestId('report-drill').click();

  // An end date before the start date is refused in words; the figures on screen are marked as another period's.
  await page.getByTestId('report-to').fill('2020-01-01');
  await page.getByTestId('report-apply').click();
  await expect(page.getByTestId('report-period-invalid')).toContainText('早于开始日期');
  await expect(page.getByTestId('report-stale')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/supervisor-period-reversed-zh.png', fullPage: true });
});

test("a supervisor's own team view shows words, not codes, in both languages", async ({ page }) => {
  await page.goto('/');
  await logInAs(page, 'sup01');
  await expect(page.getByTestId('outcomes-table')).toBeVisible();
  // sup01 leads T1: the figures are T1's, as the team filter says, so nothing is marked as another period's.
  await expect(page.getByTestId('report-team')).toHaveValue('T1');
  await expect(page.getByTestId('report-stale')).toHaveCount(0);
  await walkBothLanguages(
    page,
    'supervisor-team',
    () => expect(page.getByTestId('kpi-tiles')).toContainText('Save rate'),
    () => expect(page.getByTestId('kpi-tiles')).toContainText('挽留成功率'),
  );
});

test('the store counter card and its recent outcomes show words, not codes, in both languages', async ({ page }) => {
  await page.goto('/');
  await logInAs(page, 'store01');
  await waitForFullCache(page, E2E_CUSTOMERS);
  const [customer] = await activeCustomers(await apiToken('sup01'), 1);
  await page.getByTestId('search-input').fill(customer!.phone);
  await page.getByTestId('search-submit').click();
  await expect(page.getByTestId('search-match').first()).toBeVisible();
  await walkBothLanguages(
    page,
    'store-search',
    () => expect(page.getByTestId('search-submit')).toHaveText('Search'),
    () => expect(page.getByTestId('search-submit')).toHaveText('查找'),
  );
  await page.getByTestId('search-match').first().click();
  await expect(page.getByTestId('card-name')).toContainText(customer!.name);
  await page.getByTestId('outcome-declined').click();
  await page.getByTestId('outcome-reason').selectOption('already_has');
  await page.getByTestId('outcome-save').click();
  await expect(page.getByTestId('recent-outcomes').locator('li').first()).toBeVisible();
  await walkBothLanguages(
    page,
    'store-card',
    () => expect(page.getByTestId('recent-outcomes')).toContainText('Declined'),
    () => expect(page.getByTestId('recent-outcomes')).toContainText('已拒绝'),
  );
});

test("an agent's call card, its outcome and recent outcomes show words, not codes, in both languages", async ({ page }) => {
  await page.goto('/');
  await logInAs(page, 'agent02');
  await waitForFullCache(page, E2E_CUSTOMERS);
  // A lookup of something that is not a mobile number is refused in words, and opens no card.
  for (const typed of ['abc-123', '13']) {
    await page.getByTestId('lookup-input').fill(typed);
    await page.getByTestId('lookup-submit').click();
    await expect(page.getByTestId('lookup-refused')).toContainText('11位手机号码');
    await expect(page.getByTestId('lookup-error')).toHaveCount(0);
    await expect(page.getByTestId('lookup-input')).toHaveValue(typed);
  }
  await page.screenshot({ path: 'test-results/screens/lookup-refused-zh.png' });
  await page.getByTestId('lookup-input').fill('');
  // The outbound queue: stages, warnings and best offers in words.
  await page.keyboard.press('Alt+Q');
  await expect(page.getByTestId('queue-item').first()).toBeVisible();
  await walkBothLanguages(
    page,
    'agent-outbound',
    () => expect(page.getByTestId('outbound-queue')).toContainText('Outbound'),
    () => expect(page.getByTestId('outbound-queue')).toContainText('外呼'),
  );
  await page.keyboard.press('Alt+Q');
  const { customer } = await warnedCustomer(await apiToken('sup01'), { mostAtRisk: true });
  await ctiEvent({ callId: `e2e-codes-${Date.now()}`, ani: customer.phone, agentId: 'agent02', event: 'offered' });
  await expect(page.getByTestId('card-name')).toContainText(customer.name);
  await walkBothLanguages(
    page,
    'agent-card',
    () => expect(page.getByTestId('card')).toContainText('Offer outcome'),
    () => expect(page.getByTestId('card')).toContainText('推荐结果'),
  );
  // The outcomes recorded above may hold this customer's offers back (contact cooldown): then none is presented.
  const hasOffer = (await page.getByTestId('offer-best').count()) > 0;
  await page.getByTestId(hasOffer ? 'outcome-declined' : 'outcome-not_presented').click();
  await page.getByTestId('outcome-reason').selectOption(hasOffer ? 'price' : 'customer_busy');
  await page.getByTestId('outcome-save').click();
  await expect(page.getByTestId('recent-outcomes').locator('li').first()).toBeVisible();
  await walkBothLanguages(
    page,
    'agent-recent',
    () => expect(page.getByTestId('recent-outcomes')).toContainText(hasOffer ? 'Declined' : 'Not presented'),
    () => expect(page.getByTestId('recent-outcomes')).toContainText(hasOffer ? '已拒绝' : '未推荐'),
  );
});

test('Export Excel and Export CSV download the filtered rows in the chosen language, readable by a spreadsheet reader', async ({ page }) => {
  await page.goto('/');
  await logInAs(page, 'admin01');
  const count = page.getByTestId('report-row-count');
  await expect(page.getByTestId('outcome-row').first()).toBeVisible();
  const rows = Number(await count.getAttribute('data-count'));
  expect(rows).toBeGreaterThanOrEqual(SEEDED_OUTCOMES);

  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });

  const [excel] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.getByTestId('export-xlsx').click()]);
  expect(excel.suggestedFilename()).toMatch(/^推荐结果-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const sheet = await readXlsxFile(await readFile((await excel.path())!));
  const data = sheet[0]!.data;
  expect(data[0]).toEqual([
    '时间',
    '坐席',
    '班组',
    '渠道',
    '号码',
    '阶段',
    '价值等级',
    '预警',
    '细分群',
    '方案',
    '方案类型',
    '结果',
    '原因',
    '预期价值',
    '挽留收入',
  ]);
  expect(data).toHaveLength(rows + 1);
  const excelText = data.map((row) => row.join('\t')).join('\n');
  for (const pattern of [...RAW_CODES, ENGLISH_CODES_IN_CHINESE]) expect(excelText).not.toMatch(pattern);
  expect(excelText).toContain('已有该业务');
  expect(String(data[1]![0])).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

  await page.getByTestId('lang-switch').selectOption('en');
  await page.getByTestId('report-filter-result').selectOption('declined');
  const declined = Number(await count.getAttribute('data-count'));
  const [csv] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.getByTestId('export-csv').click()]);
  expect(csv.suggestedFilename()).toMatch(/^outcomes-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = await readFile((await csv.path())!);
  expect([...bytes.subarray(0, 3)], 'a UTF-8 byte-order mark, so Excel reads the file as UTF-8').toEqual([0xef, 0xbb, 0xbf]);
  const parsed = Papa.parse<string[]>(bytes.subarray(3).toString('utf8'), { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  expect(parsed.data[0]).toEqual([
    'Time',
    'Agent',
    'Team',
    'Channel',
    'Number',
    'Stage',
    'Tier',
    'Warning',
    'Segment',
    'Offer',
    'Offer kind',
    'Result',
    'Reason',
    'Expected value',
    'Retained revenue',
  ]);
  expect(parsed.data).toHaveLength(declined + 1);
  expect(new Set(parsed.data.slice(1).map((row) => row[11]))).toEqual(new Set(['Declined']));
  for (const pattern of RAW_CODES) expect(parsed.data.map((row) => row.join(',')).join('\n')).not.toMatch(pattern);
  expect(errors).toEqual([]);
});

test('the login belongs to the browser: a fresh browser profile must log in, and its login leaves the other browser’s alone', async ({ page, browser }) => {
  await page.goto('/');
  await logInAs(page, 'admin01');
  await expect(page.getByTestId('kpi-tiles')).toBeVisible();

  const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const fresh = await other.newPage();
  await fresh.goto('/');
  await expect(fresh.getByTestId('login-username')).toBeVisible();
  await expect(fresh.getByTestId('kpi-tiles')).toHaveCount(0);
  expect((await fresh.request.post('/api/invoke/reports/outcomes', { data: { from: '2026-01-01', to: '2026-01-02' } })).status()).toBe(401);
  await fresh.screenshot({ path: 'test-results/screens/browser-login-fresh-zh.png' });

  // The fresh browser logs in as someone else: each keeps its own user (tests/e2e/two-browsers.web.spec.ts walks it).
  await logInAs(fresh, 'sup01');
  await expect(page.getByTestId('kpi-tiles')).toBeVisible();
  await expect(page.getByTestId('login-username')).toHaveCount(0);
  await other.close();
});
