// Secrets never reach the central API's log, and personal numbers appear only masked. The log is
// captured as the server writes it (one JSON line per entry), with request logging on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginWithRefreshResponse } from '../../shared/contract/auth-refresh';
import { maskIdNumber, maskPhone } from '../../shared/domain/masking';
import type { CentralApi } from '../../server/app';
import { maskLogLine } from '../../server/http/log-redaction';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { TEST_CTI_KEY, bearer, startTestApi } from '../server/support/test-api';

const PHONE = '13912345678';
const ID_NUMBER = '11010519800101123X';

let api: CentralApi;
const lines: string[] = [];
const logText = () => lines.join('');

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 5, logger: true, logDestination: { write: (line) => void lines.push(line) } });
});
afterAll(() => api?.close());
/** Amazon Connect's API key header (the CTI connectors' other header secret). */
const CONNECT_KEY = 'connect-key-in-a-log-0123456789';

describe('central API log', () => {
  let session: LoginWithRefreshResponse;

  beforeAll(async () => {
    const login = await api.app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'agent01', password: DEMO_PASSWORD } });
    session = LoginWithRefreshResponse.parse(login.json());
    await api.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: session.refreshToken } });
    await api.app.inject({ method: 'GET', url: '/sync/changes?limit=1', headers: { ...bearer(session.token), cookie: 'sid=cookie-secret' } });
    await api.app.inject({ method: 'GET', url: `/cti/stream?token=${session.token}` });
    await api.app.inject({
      method: 'POST',
      url: '/cti/calls',
      headers: { 'x-cti-key': TEST_CTI_KEY },
      payload: { callId: 'log-1', ani: `+86${PHONE}`, agentId: 'agent01', event: 'offered' },
    });
    // What a handler or a library might log: a row, a header set, a message quoting numbers.
    api.app.log.error(
      {
        customer: { phone: PHONE, idNumber: ID_NUMBER },
        headers: { authorization: `Bearer ${session.token}`, 'x-cti-key': TEST_CTI_KEY, 'x-clm-connect-key': CONNECT_KEY },
        body: { username: 'agent01', password: DEMO_PASSWORD, refreshToken: session.refreshToken },
      },
      `insert failed: Key (phone)=(${PHONE}) already exists; caller +86${PHONE}, id ${ID_NUMBER}`,
    );
  });

  it('logged the requests (the capture works)', () => {
    expect(lines.length).toBeGreaterThan(5);
    expect(logText()).toContain('/sync/changes?limit=1');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('holds no password, token, refresh token, cookie or CTI key', () => {
    const text = logText();
    for (const secret of [DEMO_PASSWORD, session.token, session.refreshToken, TEST_CTI_KEY, CONNECT_KEY, 'cookie-secret']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(text).toContain('/cti/stream?token=%5Bredacted%5D');
  });

  it('shows phone and ID numbers only masked', () => {
    const text = logText();
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain(ID_NUMBER);
    expect(text).toContain(maskPhone(PHONE));
    expect(text).toContain(maskIdNumber(ID_NUMBER));
  });
});

describe('log line masking', () => {
  it('masks inside strings only, so the line stays valid JSON and numbers stay numbers', () => {
    const line = JSON.stringify({ time: 1718000000000, seq: 13912345678, msg: `call from ${PHONE} id ${ID_NUMBER}`, rt: 0.123456789012345 });
    const masked = maskLogLine(line);
    expect(JSON.parse(masked)).toEqual({
      time: 1718000000000,
      seq: 13912345678,
      msg: `call from ${maskPhone(PHONE)} id ${maskIdNumber(ID_NUMBER)}`,
      rt: 0.123456789012345,
    });
  });

  it('leaves longer digit runs (order ids) and non-mobile numbers alone', () => {
    const line = JSON.stringify({ msg: 'order 1391234567812345678901 from 01012345678' });
    expect(maskLogLine(line)).toBe(line);
  });
});
