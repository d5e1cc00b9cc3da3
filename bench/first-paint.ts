// First paint of the desk after login, in Chromium on the browser-mode desk holding the shared
// large cache: from the click on the login button to the first frame painted with the desk
// screen, as the page itself times it. In browser mode the user's desk opens at login, so each
// login of a user whose desk is closed opens the cache and waits for its background integrity
// check; a login to a desk already open does not. Baseline: the login request alone.
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { BENCH_AGENT, startCentralApiProcess } from './support/central-api-process';
import { forkChild } from './support/child-rpc';
import type { DeskCacheFixture } from './support/desk-cache-fixture';
import { withDeskCacheFixture } from './support/desk-fixture-scope';
import type { DeskWebChildConfig } from './support/desk-web-child';
import { buildRenderer } from './support/renderer-build';
import { measurement, okResult, type BenchResult, type Measurement } from './support/result';
import { createScratchDir } from './support/scratch-dir';
import { choosePostgresOrPglite } from './support/server-database';
import { median } from './support/stats';
import { isMainModule, progress, runStandalone } from './support/standalone';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/debian-chromium';

const ID = 'first-paint';
const TITLE = 'First paint after login';
const ROUNDS = 3;
const PAINT_TIMEOUT_MS = 120_000;
const GOAL_MS = 1000;

// Plain JS (the bench tsconfig has no DOM types). The click on the login button starts the clock;
// the first frame after the desk's main area exists stops it (rAF, then a task: the frame was presented).
const TIME_FIRST_PAINT = `
document.addEventListener('click', (event) => {
  if (event.target instanceof Element && event.target.closest('[data-testid="login-submit"]')) performance.mark('bench:login-submit');
}, true);
new MutationObserver((_, observer) => {
  if (!document.querySelector('.desk-main, [data-testid="report-filters"]')) return;
  observer.disconnect();
  requestAnimationFrame(() => setTimeout(() => performance.mark('bench:desk-painted')));
}).observe(document, { subtree: true, childList: true });`;

const READ_TIMES = `(() => {
  const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
  const login = performance.getEntriesByType('resource').find((r) => r.name.includes('/api/invoke/session/login'));
  return { submit: at('bench:login-submit'), painted: at('bench:desk-painted'), loginMs: login ? login.responseEnd - login.startTime : null };
})()`;

const SIGN_OUT = `fetch('/api/invoke/session/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status)`;

interface Round {
  paintMs: number;
  loginRequestMs: number;
}

async function oneRound(browser: Browser, deskUrl: string, signOut: boolean): Promise<Round> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.addInitScript({ content: TIME_FIRST_PAINT });
    await page.goto(deskUrl);
    await page.getByTestId('login-username').fill(BENCH_AGENT.username);
    await page.getByTestId('login-password').fill(BENCH_AGENT.password);
    await page.getByTestId('login-submit').click();
    await page.locator('.desk-main').waitFor({ timeout: PAINT_TIMEOUT_MS });
    let times = await page.evaluate<{ submit: number | null; painted: number | null; loginMs: number | null }>(READ_TIMES);
    for (let tries = 0; times.painted === null && tries < 50; tries++) {
      await page.waitForTimeout(20);
      times = await page.evaluate(READ_TIMES);
    }
    if (times.submit === null || times.painted === null || times.loginMs === null)
      throw new Error(`the page did not time its first paint: ${JSON.stringify(times)}`);
    if (signOut) await page.evaluate(SIGN_OUT);
    return { paintMs: times.painted - times.submit, loginRequestMs: times.loginMs };
  } finally {
    await context.close();
  }
}

export async function runFirstPaintBench(options: { fixture?: DeskCacheFixture } = {}): Promise<BenchResult> {
  const started = performance.now();
  return withDeskCacheFixture(options.fixture, async (fixture) => {
    const scratch = createScratchDir('first-paint');
    const cleanups: (() => Promise<void>)[] = [async () => scratch.remove()];
    try {
      progress(ID, 'building the renderer');
      const rendererDir = scratch.file('renderer');
      await buildRenderer(rendererDir);
      const choice = await choosePostgresOrPglite();
      // Users and offers only: its change seqs stay below the fixture's cursor, so the desk pulls nothing.
      const api = await startCentralApiProcess({ driver: choice.driver, choice, customers: 0 });
      cleanups.unshift(() => api.stop());
      const startDeskHost = (openAheadFor?: string) =>
        forkChild<{ warnings(arg: undefined): Promise<string[]>; openedAhead(arg: undefined): Promise<void> }, { url: string }>(
          path.join(import.meta.dirname, 'support/desk-web-child.ts'),
          { cachePath: fixture.path, apiUrl: api.url, rendererDir, openAheadFor } satisfies DeskWebChildConfig,
        );
      const desk = await startDeskHost();
      cleanups.unshift(() => desk.stop());
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
      cleanups.unshift(() => browser.close());

      // Cold: each login opens the desk (and waits for its check). Ahead: a host started before the
      // login opened the user's desk and checked its cache (web-host/main.ts), as the agent types.
      // Warm: the user's desk is already open (a browser of theirs signed in before and was closed without signing out).
      const cold: Round[] = [];
      const ahead: Round[] = [];
      const warm: Round[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        cold.push(await oneRound(browser, desk.info.url, true));
        progress(ID, `cold round ${round + 1}/${ROUNDS}: ${cold.at(-1)!.paintMs.toFixed(0)} ms`);
      }
      // Each round a fresh host on the same cache, once its start-up check ended (the cold rounds' desk is closed by then).
      for (let round = 0; round < ROUNDS; round++) {
        const aheadHost = await startDeskHost(BENCH_AGENT.username);
        try {
          await aheadHost.call('openedAhead', undefined);
          ahead.push(await oneRound(browser, aheadHost.info.url, true));
        } finally {
          await aheadHost.stop();
        }
        progress(ID, `host-started-before round ${round + 1}/${ROUNDS}: ${ahead.at(-1)!.paintMs.toFixed(0)} ms`);
      }
      await oneRound(browser, desk.info.url, false);
      for (let round = 0; round < ROUNDS; round++) {
        warm.push(await oneRound(browser, desk.info.url, false));
        progress(ID, `warm round ${round + 1}/${ROUNDS}: ${warm.at(-1)!.paintMs.toFixed(0)} ms`);
      }
      const figure = (rounds: Round[], label: string): Measurement =>
        measurement({
          metric: `login clicked → desk screen painted, ${label} (median)`,
          value: median(rounds.map((r) => r.paintMs)),
          unit: 'ms',
          baseline: {
            label: 'the login request alone (POST /api/invoke/session/login, median)',
            value: median(rounds.map((r) => r.loginRequestMs)),
            unit: 'ms',
          },
          goal: { on: 'value', atMost: GOAL_MS },
        });
      const perRound = (rounds: Round[]) => rounds.map((r) => `${r.paintMs.toFixed(0)} / ${r.loginRequestMs.toFixed(0)}`).join('; ');
      return okResult(ID, TITLE, started, {
        measurements: [figure(cold, 'desk opened by the login'), figure(ahead, 'host started before the login'), figure(warm, 'desk already open')],
        notes: [
          `${fixture.rows.toLocaleString('en-US')} customers + scores in the desk cache; Chromium ${browser.version()} headless (${CHROMIUM_PATH}), 1280×800; desk host (browser mode) and central API (${api.driver}) in their own processes; ${BENCH_AGENT.username}.`,
          `per round (login → painted / login request), ms: desk opened by the login ${perRound(cold)}; host started before the login ${perRound(ahead)}; desk already open ${perRound(warm)}.`,
          'Each round is a fresh browser context. Desk opened by the login: signed out at the end, so the desk closes and the next login opens the cache again and waits for its whole-file integrity check (on a worker thread; the Electron shell opens the cache at start, so there the check runs while the login screen is shown). Host started before the login: a fresh desk host per round that opened the user’s desk at its start (as web-host/main.ts does for users with a cache) and finished its check before the page loaded; signed out at the end. Desk already open: not signed out, so the desk stays open between rounds.',
        ],
      });
    } finally {
      for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error(`[bench] ${ID} cleanup:`, error));
    }
  });
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, () => runFirstPaintBench());
