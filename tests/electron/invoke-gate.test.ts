import { describe, expect, it, vi } from 'vitest';
import { createInvokeGate } from '../../electron/main/invoke-gate';
import { isNavigationAllowed } from '../../electron/main/window-policy';

const rendererIndexUrl = 'file:///opt/clm-desk/resources/app.asar/dist/renderer/index.html';
const trusted = { frameUrl: rendererIndexUrl, isTopLevelFrame: true };

describe('invoke gate (main process)', () => {
  const forward = vi.fn(async () => ({ ok: true as const, value: 'forwarded' }));
  const gate = createInvokeGate({ rendererIndexUrl, forward });

  it('forwards a contract operation from the app frame', async () => {
    await expect(gate(trusted, 'sync/status', {})).resolves.toEqual({ ok: true, value: 'forwarded' });
    expect(forward).toHaveBeenCalledWith('sync/status', {});
  });

  it.each([
    ['another file', { frameUrl: 'file:///tmp/evil.html', isTopLevelFrame: true }],
    ['a web page', { frameUrl: 'https://example.com/dist/renderer/index.html', isTopLevelFrame: true }],
    ['a sub-frame of the app', { frameUrl: rendererIndexUrl, isTopLevelFrame: false }],
    ['a destroyed frame', { frameUrl: null, isTopLevelFrame: true }],
  ])('refuses %s without forwarding', async (_name, sender) => {
    forward.mockClear();
    const result = await gate(sender, 'sync/status', {});
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('untrusted') } });
    expect(forward).not.toHaveBeenCalled();
  });

  it.each([['fs/readFile'], [42], [undefined], ['__proto__'], ['constructor']])('refuses operation %s', async (operation) => {
    forward.mockClear();
    const result = await gate(trusted, operation, {});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('bad_request');
    expect(forward).not.toHaveBeenCalled();
  });
});

// The window's webPreferences are checked on the window main.ts creates: tests/security/electron-main-wiring.test.ts.
describe('window navigation policy', () => {
  it('allows no navigation away from the desk page', () => {
    expect(isNavigationAllowed(rendererIndexUrl, rendererIndexUrl)).toBe(true);
    expect(isNavigationAllowed('https://phish.example/login', rendererIndexUrl)).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd', rendererIndexUrl)).toBe(false);
    expect(isNavigationAllowed('not a url', rendererIndexUrl)).toBe(false);
  });
});
