// Browser mode's company sign-in ends with the page loaded again at COMPANY_SIGN_IN_RETURN, the central
// API's answer in the query: a one-time code and who signed in, or why not. The answer is taken out of
// the address bar at once, so a reload or the history never offers the spent code again.
// Like OAuth's `state`, the tab that starts a sign-in puts a random, single-use value of its own in the
// return address (and in its sessionStorage); a return without that value is refused, so a link with
// someone else's code cannot sign this browser in as them (login CSRF).
import { COMPANY_SIGN_IN_RETURN } from '../../shared/contract/desk-api';

export type CompanySignInReturn = { code: string; username: string } | { failure: string } | { notStartedHere: true };

type TabStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const [MARKER_NAME, MARKER_VALUE] = [...new URL(COMPANY_SIGN_IN_RETURN, 'http://desk.invalid').searchParams][0]!;
const RETURN_CHECK_PARAM = 'csrf';
const RETURN_CHECK_KEY = 'clm.companySignIn.csrf';

function randomReturnCheck(): string {
  // getRandomValues, not randomUUID: a desk on a plain-http intranet host is not a secure context.
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The host's start address with this tab's fresh return check added to its `returnTo`; the check is kept in `storage`. */
export function startCompanySignInFromThisTab(startUrl: string, storage: TabStorage): string {
  const start = new URL(startUrl);
  const returnTo = start.searchParams.get('returnTo');
  if (returnTo === null || !URL.canParse(returnTo)) throw new Error(`the company sign-in start address has no return address: ${startUrl}`);
  const check = randomReturnCheck();
  const back = new URL(returnTo);
  back.searchParams.set(RETURN_CHECK_PARAM, check);
  start.searchParams.set('returnTo', back.href);
  storage.setItem(RETURN_CHECK_KEY, check);
  return start.href;
}

/**
 * The answer this page came back with, taken off its address; null when it did not come back from company
 * sign-in. `notStartedHere` when the return does not carry the check this tab kept (the check is spent either way).
 */
export function takeCompanySignInReturn(win: {
  location: Pick<Location, 'href'>;
  history: Pick<History, 'replaceState'>;
  sessionStorage: TabStorage;
}): CompanySignInReturn | null {
  const url = new URL(win.location.href);
  if (url.searchParams.get(MARKER_NAME) !== MARKER_VALUE) return null;
  const kept = win.sessionStorage.getItem(RETURN_CHECK_KEY);
  win.sessionStorage.removeItem(RETURN_CHECK_KEY);
  const check = url.searchParams.get(RETURN_CHECK_PARAM);
  const code = url.searchParams.get('code');
  const username = url.searchParams.get('username');
  const failure = url.searchParams.get('error_description') ?? url.searchParams.get('error') ?? 'the sign-in came back without a code';
  url.search = '';
  win.history.replaceState(null, '', url.href);
  if (kept === null || check !== kept) return { notStartedHere: true };
  return code !== null && username !== null ? { code, username } : { failure };
}
