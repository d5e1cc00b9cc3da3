// Company sign-in for the Electron desk, as RFC 8252 asks of native apps: the operator's IdP page opens
// in the system browser (where the person may already be signed in, and whose address bar they can trust),
// never in a window of ours, and the answer comes back to a loopback port this process listens on for the
// one sign-in. The central API accepts any loopback http return address for exactly this
// (server/auth/directory/oidc-sign-in.ts), and hands back a one-time code that the data process trades
// for the session (session/login). Like OAuth's `state`, each sign-in listens on a path with a random,
// single-use segment of its own, so another local page cannot send the desk a code (someone else's) on the
// port and sign it in as them (login CSRF). Plain Node, so a Node test drives it; main.ts passes Electron's shell.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Session, type CompanySignInStep, type DeskInput, type DeskResult } from '../../shared/contract/desk-api';

/** The central API keeps a sign-in under way for 10 minutes; the loopback port waits as long. */
const SIGN_IN_WAIT_MS = 10 * 60_000;
const RETURN_PATH_PREFIX = '/company-sign-in/';

export interface SystemBrowserSignInOptions {
  apiUrl: string;
  /** Opens an address in the system browser (Electron's shell.openExternal). */
  openBrowser(url: string): Promise<void>;
  /** Logs the data process in with the hand-off code. */
  logIn(input: Extract<DeskInput<'session/login'>, { companySignInCode: string }>): Promise<DeskResult<unknown>>;
  waitMs?: number;
}

type ReturnOutcome = { code: string; username: string } | { failure: string };

/** What the browser tab shows once the desk has the answer: both languages, nothing from the query echoed. */
function finishedPage(signedIn: boolean): string {
  const text = signedIn
    ? '已登录 CLM 坐席,可以关闭此页。 / Signed in to CLM Desk; you can close this tab.'
    : '企业账号登录未完成,请回到 CLM 坐席查看原因。 / Company sign-in did not finish; see CLM Desk for why.';
  return `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>CLM Desk</title><p>${text}</p></html>`;
}

function outcomeOf(url: URL): ReturnOutcome {
  const code = url.searchParams.get('code');
  const username = url.searchParams.get('username');
  if (code !== null && username !== null) return { code, username };
  return { failure: url.searchParams.get('error_description') ?? url.searchParams.get('error') ?? 'the sign-in came back without a code' };
}

/** Runs one company sign-in at a time; starting another (the person closed the tab and clicked again) abandons the first. */
export function createSystemBrowserSignIn(options: SystemBrowserSignInOptions): () => Promise<DeskResult<CompanySignInStep>> {
  const waitMs = options.waitMs ?? SIGN_IN_WAIT_MS;
  let abandonPrevious: (() => void) | null = null;

  /** Listens on a loopback port until the browser comes back (or the wait ends, or a newer sign-in starts). */
  async function awaitReturn(onListening: (returnTo: string) => Promise<void>): Promise<ReturnOutcome> {
    let settle!: (outcome: ReturnOutcome) => void;
    const returned = new Promise<ReturnOutcome>((resolve) => (settle = resolve));
    const returnPath = `${RETURN_PATH_PREFIX}${randomBytes(32).toString('base64url')}`;
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      // Anything but this sign-in's own path is refused and leaves the sign-in waiting for the real return.
      if (request.method !== 'GET' || url.pathname !== returnPath) {
        response.writeHead(404).end();
        return;
      }
      const outcome = outcomeOf(url);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(finishedPage('code' in outcome));
      settle(outcome);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const timer = setTimeout(() => settle({ failure: 'company sign-in took too long; start it again' }), waitMs);
    timer.unref();
    abandonPrevious?.();
    abandonPrevious = () => settle({ failure: 'a newer company sign-in was started' });
    try {
      const { port } = server.address() as AddressInfo;
      await onListening(`http://127.0.0.1:${port}${returnPath}`);
      return await returned;
    } finally {
      clearTimeout(timer);
      server.close();
      server.closeAllConnections();
    }
  }

  return async () => {
    let outcome: ReturnOutcome;
    try {
      outcome = await awaitReturn(async (returnTo) => {
        const start = new URL(`${options.apiUrl.replace(/\/+$/, '')}/auth/oidc/start`);
        start.searchParams.set('returnTo', returnTo);
        await options.openBrowser(start.href);
      });
    } catch (error) {
      return { ok: false, error: { code: 'internal', message: `the system browser could not be opened: ${(error as Error).message}` } };
    }
    if ('failure' in outcome) return { ok: false, error: { code: 'forbidden', message: outcome.failure } };
    const loggedIn = await options.logIn({ username: outcome.username, companySignInCode: outcome.code });
    if (!loggedIn.ok) return loggedIn;
    return { ok: true, value: { kind: 'signedIn', session: Session.parse(loggedIn.value) } };
  };
}
