// Which browser holds the desk's login. The browser-mode host runs one desk backend (one cache,
// one signed-in session); without this, every browser that opened the page shared whoever logged
// in last. Each browser gets its own id in an HttpOnly, SameSite=Strict cookie; the browser that
// logged in owns the session, and any other browser is logged out: it sees no session, may call
// no operation but login, and receives none of the session's events. A login from another browser
// takes the desk over (the previous browser is told its session ended).
//
// Not done: two browsers holding two different users at once. That needs one backend session per
// browser (desk-backend/ keeps one), see the report of issue 14.
import { randomBytes } from 'node:crypto';

export const BROWSER_COOKIE = 'clm_browser';
const BROWSER_ID = /^[A-Za-z0-9_-]{43}$/;

/** The browser id a Cookie header carries, or null when it carries none (or a malformed one). */
export function browserIdOf(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === BROWSER_COOKIE && value !== undefined && BROWSER_ID.test(value)) return value;
  }
  return null;
}

export function newBrowserId(): string {
  return randomBytes(32).toString('base64url');
}

/** Set-Cookie for a browser id: the page's script cannot read it, and no other site's request carries it. */
export function browserCookie(id: string): string {
  return `${BROWSER_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict`;
}

export type BrowserCall =
  /** Pass the call to the backend. */
  | { kind: 'forward' }
  /** Answer without the backend: this browser does not hold the login. */
  | { kind: 'answer'; status: number; body: unknown };

export interface BrowserSessions {
  /** What to do with a operation call from a browser (null id: a client without the cookie). */
  route(browserId: string | null, operation: string): BrowserCall;
  /** After the backend answered: a login makes its browser the owner, the owner's logout frees the desk. */
  answered(browserId: string | null, operation: string, ok: boolean): { previousOwner: string | null };
  /** The backend said the session ended by itself (expired, revoked). */
  sessionEnded(): void;
  /** Whether a browser may receive the desk's events: the owner, or the browser logging in (its login's own events). */
  mayReceiveEvents(browserId: string | null): boolean;
  /** The owner whose events wait while another browser logs in (delivered to it if that login fails), or null. */
  heldFor(): string | null;
}

export function createBrowserSessions(): BrowserSessions {
  let owner: string | null = null;
  let loggingIn: string | null = null;
  const holds = (id: string | null) => owner === null || owner === id;
  return {
    route(browserId, operation) {
      if (operation === 'session/login') {
        loggingIn = browserId;
        return { kind: 'forward' };
      }
      if (holds(browserId)) return { kind: 'forward' };
      if (operation === 'session/current') return { kind: 'answer', status: 200, body: { ok: true, value: null } };
      // Logging out a browser that holds nothing ends nothing (it must not end another browser's session).
      if (operation === 'session/logout') return { kind: 'answer', status: 200, body: { ok: true, value: { ok: true } } };
      return { kind: 'answer', status: 401, body: { ok: false, error: { code: 'unauthenticated', message: 'this browser is not logged in' } } };
    },
    answered(browserId, operation, ok) {
      const previousOwner = owner;
      if (operation === 'session/login' && loggingIn === browserId) loggingIn = null;
      if (operation === 'session/login' && ok) owner = browserId;
      if (operation === 'session/logout' && ok && owner === browserId) owner = null;
      return { previousOwner: previousOwner !== owner ? previousOwner : null };
    },
    sessionEnded() {
      owner = null;
    },
    mayReceiveEvents(browserId) {
      if (browserId === null) return false;
      // While another browser logs in, an event may be the owner's or already the newcomer's: none is sent (heldFor).
      if (loggingIn !== null && owner !== null && loggingIn !== owner) return false;
      if (loggingIn !== null && owner === null) return browserId === loggingIn;
      return browserId === owner;
    },
    heldFor: () => (loggingIn !== null && loggingIn !== owner ? owner : null),
  };
}
