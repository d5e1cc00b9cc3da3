// Company sign-in (企业账号登录) in browser mode, end to end: a real OpenID provider (oidc-provider, the
// operator IdP of tests/auth-directory), a central API configured for it and a browser-mode desk host of
// this spec's own (the shared e2e API has no IdP). The IdP is reached as `localhost`, another site than
// the desk on 127.0.0.1, so the way back into the desk is cross-site as with an operator's IdP. The person
// signs in on the IdP's own form; the desk opens signed in as them, with the code gone from the address.
import { expect, test, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeLoopbackPorts, oidcConfigFor, oidcSecretsFor, startOperatorIdp, type IdpPerson, type OperatorIdp } from '../auth-directory/support/operator-idp';
import { screenshotBothLanguages } from './support/desk-page';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PEOPLE: Record<string, IdpPerson> = {
  zhaolei: { name: '赵磊', groups: ['clm-agents-t1'] },
  visitor: { name: 'Visitor', groups: ['all-staff'] },
};

let idp: OperatorIdp;
let scratch: string;
let apiUrl: string;
let webUrl: string;
const children: ChildProcess[] = [];

function start(script: string, args: string[], env: Record<string, string>): void {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: 'ignore' });
  children.push(child);
}

async function answers(url: string): Promise<void> {
  await expect
    .poll(async () => (await fetch(url).catch(() => null))?.ok ?? false, { message: `${url} answers`, timeout: 120_000, intervals: [500] })
    .toBe(true);
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const [apiPort, webPort] = (await freeLoopbackPorts(2)) as [number, number];
  apiUrl = `http://127.0.0.1:${apiPort}`;
  webUrl = `http://127.0.0.1:${webPort}`;
  idp = await startOperatorIdp(PEOPLE, `${apiUrl}/auth/oidc/callback`, 'localhost');
  scratch = mkdtempSync(path.join(tmpdir(), 'clm-e2e-company-sign-in-'));
  const directoryConfig = path.join(scratch, 'directory.json');
  writeFileSync(directoryConfig, JSON.stringify(oidcConfigFor(idp, `${apiUrl}/auth/oidc/callback`, [{ group: 'clm-agents-t1', role: 'agent', team: 'T1' }])));
  start('server/main.ts', ['--demo', '--port', String(apiPort), '--customers', '200', '--data-dir', ':memory:'], {
    CLM_DIRECTORY_CONFIG: directoryConfig,
    ...oidcSecretsFor(idp),
  });
  start('web-host/main.ts', ['--port', String(webPort), '--data-dir', path.join(scratch, 'desk')], { CLM_API_URL: apiUrl });
  await Promise.all([answers(`${apiUrl}/health`), answers(webUrl)]);
});

test.afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await idp?.stop();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

/** Fills in the IdP's own login form (oidc-provider's development form: any password). */
async function signInAtIdp(page: Page, login: string): Promise<void> {
  await page.waitForURL((url) => url.hostname === 'localhost');
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any');
  await page.locator('button[type="submit"]').click();
}

test('the login screen offers company sign-in in both languages, and it signs the person in through the IdP', async ({ page }) => {
  await page.goto(webUrl);
  await expect(page.getByTestId('company-sign-in')).toHaveText('企业账号登录');
  await screenshotBothLanguages(page, 'company-sign-in-login', () => expect(page.getByTestId('company-sign-in')).toHaveText('Company sign-in'));

  await page.getByTestId('company-sign-in').click();
  await signInAtIdp(page, 'zhaolei');

  await page.waitForURL((url) => url.origin === webUrl);
  await expect(page.getByTestId('agent-name')).toContainText('赵磊');
  await expect(page.getByTestId('sync-online')).toHaveAttribute('data-online', 'true');
  // The one-time code does not stay in the address bar or the history.
  expect(new URL(page.url()).search).toBe('');
  await screenshotBothLanguages(page, 'company-sign-in-desk', () => expect(page.getByTestId('agent-name')).toContainText('Hotline agent'));

  // The login belongs to this browser like a password login: a reload keeps it.
  await page.reload();
  await expect(page.getByTestId('agent-name')).toContainText('赵磊');
});

test('a person the directory does not allow comes back to the login screen with the reason', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(webUrl);
  await page.getByTestId('company-sign-in').click();
  await signInAtIdp(page, 'visitor');
  await page.waitForURL((url) => url.origin === webUrl);
  await expect(page.getByTestId('company-sign-in-error')).toContainText('企业账号登录未完成');
  await expect(page.getByTestId('company-sign-in-error')).toContainText('没有使用本系统的权限');
  await expect(page.getByTestId('company-sign-in-error')).toHaveAttribute('title', /not in a group that may use CLM/);
  await expect(page.getByTestId('login-username')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/company-sign-in-refused-zh.png' });
  await context.close();
});

test('a link with someone else’s unused code (login CSRF) signs nobody in: the desk accepts only the return its own tab started', async ({ browser }) => {
  // Colleague A signs in at the IdP, and A's tab comes back without running the desk (its scripts are
  // blocked), so A's code stays unspent in the address: the link A could send to B.
  const contextA = await browser.newContext();
  const pageA = await contextA.newPage();
  await pageA.goto(webUrl);
  await pageA.getByTestId('company-sign-in').click();
  await pageA.waitForURL((url) => url.hostname === 'localhost');
  await contextA.route(
    (url) => url.origin === webUrl,
    (route) => route.abort(),
  );
  await signInAtIdp(pageA, 'zhaolei');
  await pageA.waitForURL((url) => url.origin === webUrl && url.searchParams.has('code'));
  const returnOfA = pageA.url();
  expect(new URL(returnOfA).searchParams.get('csrf')).toMatch(/^[0-9a-f]{64}$/);
  await contextA.close();

  // B opens A's link, with A's tab value or without any: refused in B's language, B stays signed out.
  const withoutCheck = new URL(returnOfA);
  withoutCheck.searchParams.delete('csrf');
  const contextB = await browser.newContext();
  const pageB = await contextB.newPage();
  for (const link of [returnOfA, withoutCheck.href]) {
    await pageB.goto(link);
    await expect(pageB.getByTestId('company-sign-in-error')).toContainText('这次登录不是在本页面发起的');
    await expect(pageB.getByTestId('login-username')).toBeVisible();
    expect(new URL(pageB.url()).search).toBe('');
  }
  await screenshotBothLanguages(pageB, 'company-sign-in-foreign-return', () =>
    expect(pageB.getByTestId('company-sign-in-error')).toContainText('This sign-in was not started on this page'),
  );
  await expect(pageB.getByTestId('agent-name')).toHaveCount(0);
  await contextB.close();
});
