// A lost laptop's desk is revoked while its agent is signed in: the central API closes the desk's
// call stream at once, the desk hears of the revocation at its next pull (it polls once the stream is
// gone) and wipes its cache, and the screen the agent is left on says why, in both languages, without
// anyone trying to sign in first. The spec's agent is an account of its own (POST /users), so revoking
// its desk touches no other spec's user.
import { expect, test } from '@playwright/test';
import { DeskList } from '../../shared/contract/desks';
import { apiToken } from './support/central-api';
import { logInAs, screenshotBothLanguages } from './support/desk-page';
import { E2E_API_URL } from './support/e2e-env';

const AGENT = 'agent41';
const PASSWORD = 'revocation-e2e-2026';

async function asAdmin(token: string, method: 'GET' | 'POST', path: string, body?: object): Promise<Response> {
  return fetch(`${E2E_API_URL}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

test('the agent is told why the session ended when an administrator revokes the desk', async ({ page }) => {
  const admin = await apiToken('admin01');
  const created = await asAdmin(admin, 'POST', '/users', { username: AGENT, role: 'agent', displayName: '韩梅 (agent41)', team: 'T1', password: PASSWORD });
  expect(created.status, await created.text()).toBe(201);

  await page.goto('/');
  await logInAs(page, AGENT, PASSWORD);
  const desks = DeskList.parse(await (await asAdmin(admin, 'GET', '/desks')).json()).desks;
  const desk = desks.find((candidate) => candidate.lastUserId === AGENT);
  expect(desk, 'the desk the agent signed in on').toBeDefined();

  const revoked = await asAdmin(admin, 'POST', `/desks/${desk!.deskId}/revoke`, { reason: 'laptop reported lost (e2e)', unsent: 'hold' });
  expect(revoked.status, await revoked.text()).toBe(200);

  // Nobody touches the page: the desk's next pull (at most its 10 s poll once the stream is closed) is refused.
  const notice = page.getByTestId('session-ended');
  await expect(notice).toContainText('你的会话已被结束', { timeout: 45_000 });
  await expect(notice).toContainText('尚未上传的工作记录保留在本机');
  await expect(page.getByTestId('login-username')).toBeVisible();
  await screenshotBothLanguages(page, 'desk-revoked-session-ended', () => expect(notice).toContainText('Your session was ended'));
});
