// Browser mode's company sign-in ends with the page loaded again at COMPANY_SIGN_IN_RETURN, the central
// API's answer in the query: a one-time code and who signed in, or why not. The answer is taken out of
// the address bar at once, so a reload or the history never offers the spent code again.
import { COMPANY_SIGN_IN_RETURN } from '../../shared/contract/desk-api';

export type CompanySignInReturn = { code: string; username: string } | { failure: string };

const [MARKER_NAME, MARKER_VALUE] = [...new URL(COMPANY_SIGN_IN_RETURN, 'http://desk.invalid').searchParams][0]!;

/** The answer this page came back with, taken off its address; null when it did not come back from company sign-in. */
export function takeCompanySignInReturn(win: { location: Pick<Location, 'href'>; history: Pick<History, 'replaceState'> }): CompanySignInReturn | null {
  const url = new URL(win.location.href);
  if (url.searchParams.get(MARKER_NAME) !== MARKER_VALUE) return null;
  const code = url.searchParams.get('code');
  const username = url.searchParams.get('username');
  const failure = url.searchParams.get('error_description') ?? url.searchParams.get('error') ?? 'the sign-in came back without a code';
  url.search = '';
  win.history.replaceState(null, '', url.href);
  return code !== null && username !== null ? { code, username } : { failure };
}
