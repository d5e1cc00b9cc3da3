// Which browser is which: each browser gets its own id in an HttpOnly, SameSite=Strict cookie with
// its first answer (the page), and every call and event socket it opens carries it. The login belongs
// to the browser that made it (see user-desks.ts): a fresh browser profile must log in.
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

/** Clients that carry no cookie (scripts, the reliability tests) count as one browser of their own. */
export const COOKIELESS_CLIENT = 'cookieless';

/** Whose calls and events these are: the browser's id, or the one key every cookieless client shares. */
export function browserKeyOf(cookieHeader: string | undefined): string {
  return browserIdOf(cookieHeader) ?? COOKIELESS_CLIENT;
}
