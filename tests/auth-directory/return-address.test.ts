// Where the central API may send the browser after an OpenID sign-in, besides loopback addresses: a
// configured address, which the browser-mode desk's page extends with its own login-CSRF value.
import { describe, expect, it } from 'vitest';
import { isConfiguredReturn } from '../../server/auth/directory/oidc-sign-in';

const DESK_PAGE = 'https://desk.operator.example/?return=company-sign-in';
const accepts = (returnTo: string) => isConfiguredReturn(new URL(returnTo), DESK_PAGE);

describe('a configured return address (oidc.allowedReturnUrls)', () => {
  it('accepts the address itself, and with the desk tab’s check added', () => {
    expect(accepts(DESK_PAGE)).toBe(true);
    expect(accepts(`${DESK_PAGE}&csrf=${'a'.repeat(64)}`)).toBe(true);
    expect(accepts(`https://desk.operator.example/?csrf=1&return=company-sign-in`)).toBe(true);
  });

  it('refuses another origin, path or fragment, and the configured query changed or missing', () => {
    expect(accepts('https://evil.example/?return=company-sign-in')).toBe(false);
    expect(accepts('http://desk.operator.example/?return=company-sign-in')).toBe(false);
    expect(accepts('https://desk.operator.example:8443/?return=company-sign-in')).toBe(false);
    expect(accepts('https://desk.operator.example/other?return=company-sign-in')).toBe(false);
    expect(accepts(`${DESK_PAGE}#elsewhere`)).toBe(false);
    expect(accepts('https://desk.operator.example/?return=other')).toBe(false);
    expect(accepts('https://desk.operator.example/')).toBe(false);
  });
});
