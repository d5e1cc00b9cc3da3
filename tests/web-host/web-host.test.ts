import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createUserDesks, type DeskBackendLike, type StartTimer, type UserDesks } from '../../web-host/user-desks';
import { createWebHost } from '../../web-host/web-host';
import type { DeskResult } from '../../shared/contract/desk-api';
import { manualTimers } from './support/manual-timers';

/** A desk backend as the host sees it: one user's session, its events, its outbox count, whether it was closed. */
interface FakeDesk extends DeskBackendLike {
  agentId: string;
  calls: string[];
  signedIn: boolean;
  closed: boolean;
  discarded: boolean;
  outboxPending: number;
  emit(event: unknown): void;
}

function fakeDesk(agentId: string): FakeDesk {
  const listeners = new Set<(event: unknown) => void>();
  const desk: FakeDesk = {
    agentId,
    calls: [],
    signedIn: false,
    closed: false,
    discarded: false,
    outboxPending: 0,
    emit: (event) => listeners.forEach((listener) => listener(event)),
    async invoke(operation, input): Promise<DeskResult<unknown>> {
      desk.calls.push(operation);
      if (desk.closed) return { ok: false, error: { code: 'cache_unavailable', message: 'the desk backend is closed' } };
      if (operation === 'session/login') {
        if ((input as { password: string }).password === 'wrong') {
          // Something happens on this desk while the failed login is checked.
          desk.emit({ type: 'call', event: { callId: `during-failed-login-${agentId}` } });
          return { ok: false, error: { code: 'unauthenticated', message: 'bad credentials' } };
        }
        desk.signedIn = true;
        desk.emit({ type: 'session', session: { agentId } });
        return { ok: true, value: { agentId } };
      }
      if (operation === 'session/logout') {
        desk.signedIn = false;
        desk.emit({ type: 'session', session: null });
        return { ok: true, value: { ok: true } };
      }
      if (operation === 'sync/status') return { ok: true, value: { outboxPending: desk.outboxPending } };
      if (operation === 'sync/now') {
        desk.outboxPending = 0;
        return { ok: true, value: { outboxPending: 0 } };
      }
      if (!desk.signedIn) return { ok: false, error: { code: 'unauthenticated', message: 'log in first' } };
      if (operation === 'session/current') return { ok: true, value: { agentId } };
      if (operation === 'whoami') return { ok: true, value: agentId };
      return { ok: false, error: { code: 'not_found', message: 'nothing here' } };
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      desk.closed = true;
    },
  };
  return desk;
}

/** A web host over fake desks; `opened` lists every desk it opened, in order. */
async function startHost(options: { maxDesks?: number; failToOpen?: string; idleMs?: number; startTimer?: StartTimer } = {}) {
  const rendererDir = mkdtempSync(path.join(tmpdir(), 'clm-renderer-'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>CLM Desk</title>');
  const opened: FakeDesk[] = [];
  const desks: UserDesks = createUserDesks({
    maxDesks: options.maxDesks ?? 10,
    idleMs: options.idleMs,
    startTimer: options.startTimer,
    warn: () => undefined,
    opener: (agentId) => {
      if (agentId === options.failToOpen) throw new Error('file is not a database');
      const desk = fakeDesk(agentId);
      opened.push(desk);
      return { backend: desk, discard: () => void (desk.discarded = true) };
    },
  });
  const host: FastifyInstance = await createWebHost({ desks, rendererDir });
  const base = await host.listen({ host: '127.0.0.1', port: 0 });
  const deskOf = (agentId: string) => opened.filter((d) => d.agentId === agentId).at(-1)!;
  return {
    base,
    desks,
    opened,
    deskOf,
    async close() {
      await host.close();
      await desks.close();
      rmSync(rendererDir, { recursive: true, force: true });
    },
  };
}

/** A browser: its own cookie (from its first page load), its calls and its event socket. */
async function openBrowser(base: string) {
  const page = await fetch(`${base}/`);
  const setCookie = page.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  const call = async (operation: string, body: unknown = {}) => {
    const response = await fetch(`${base}/api/invoke/${operation}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as DeskResult<unknown> };
  };
  const events: unknown[] = [];
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/events`, { headers: { cookie } });
  ws.on('message', (data) => events.push(JSON.parse(String(data))));
  await new Promise((resolve) => ws.on('open', resolve));
  // A ping through the socket's own connection: every event sent before it has arrived once it answers.
  const settle = () => new Promise<void>((resolve) => ws.once('pong', () => resolve()).ping());
  return { setCookie, cookie, call, events, settle, close: () => ws.close() };
}

const login = (username: string, password = 'demo') => ({ username, password });
const callEvent = (callId: string) => ({ type: 'call', event: { callId } });

describe('browser-mode web host', () => {
  let host: Awaited<ReturnType<typeof startHost>>;
  let base: string;

  beforeAll(async () => {
    host = await startHost();
    base = host.base;
  });
  afterAll(async () => {
    await host.close();
  });

  it('serves the renderer', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('CLM Desk');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('lets workers start only from blob: URLs (the Excel export zips in one) and keeps scripts to the page itself', async () => {
    const policy = (await fetch(`${base}/`)).headers.get('content-security-policy') ?? '';
    const directive = (name: string) =>
      policy
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .find(([n]) => n === name)
        ?.slice(1);
    expect(directive('worker-src')).toEqual(['blob:']);
    expect(directive('script-src')).toEqual(["'self'"]);
    expect(directive('default-src')).toEqual(["'self'"]);
  });

  it('answers a fresh browser that it is signed in as nobody, without opening a desk', async () => {
    const before = host.opened.length;
    const response = await fetch(`${base}/api/invoke/session/current`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, value: null });
    expect(host.opened.length).toBe(before);
  });

  it('refuses every other operation to a browser that is not logged in, with 401', async () => {
    const response = await fetch(`${base}/api/invoke/outcome/record`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"result":"accepted"}',
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'this browser is not logged in' } });
  });

  it('answers malformed JSON with a clear 400, not a crash', async () => {
    const response = await fetch(`${base}/api/invoke/sync/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"oops' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as DeskResult<unknown>;
    expect(body.ok).toBe(false);
    expect(!body.ok && body.error.code).toBe('bad_request');
  });

  it('refuses cross-origin calls and foreign Host headers', async () => {
    const before = host.opened.length;
    const crossSite = await fetch(`${base}/api/invoke/sync/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
    const port = new URL(base).port;
    const rebound = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events`, { headers: { host: `attacker.example:${port}` } });
      ws.on('unexpected-response', (req, res) => {
        req.destroy();
        resolve(res.statusCode ?? 0);
      });
      ws.on('error', () => {});
      ws.on('open', () => resolve(101));
    });
    expect(rebound).toBe(403);
    expect(host.opened.length).toBe(before);
  });

  it('gives each browser its own id in an HttpOnly, SameSite=Strict cookie', async () => {
    const a = await openBrowser(base);
    const b = await openBrowser(base);
    expect(a.setCookie).toMatch(/^clm_browser=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(a.cookie).not.toBe(b.cookie);
    a.close();
    b.close();
  });

  it('gives two browsers two users at once, each with its own desk, answers and events', async () => {
    const agent = await openBrowser(base);
    const supervisor = await openBrowser(base);
    expect((await agent.call('session/login', login('agent05'))).body).toEqual({ ok: true, value: { agentId: 'agent05' } });
    expect((await supervisor.call('session/login', login('sup01'))).body).toEqual({ ok: true, value: { agentId: 'sup01' } });
    expect(host.desks.openDesks().sort()).toEqual(['agent05', 'sup01']);

    expect((await agent.call('whoami')).body).toEqual({ ok: true, value: 'agent05' });
    expect((await supervisor.call('whoami')).body).toEqual({ ok: true, value: 'sup01' });
    // Each got its own login's session event, not the other's.
    await agent.settle();
    await supervisor.settle();
    expect(agent.events).toEqual([{ type: 'session', session: { agentId: 'agent05' } }]);
    expect(supervisor.events).toEqual([{ type: 'session', session: { agentId: 'sup01' } }]);

    host.deskOf('agent05').emit(callEvent('rings-for-agent05'));
    host.deskOf('sup01').emit({ type: 'sync', status: { cursor: 7 } });
    await agent.settle();
    await supervisor.settle();
    expect(agent.events.at(-1)).toEqual(callEvent('rings-for-agent05'));
    expect(supervisor.events).not.toContainEqual(callEvent('rings-for-agent05'));
    expect(supervisor.events.at(-1)).toEqual({ type: 'sync', status: { cursor: 7 } });
    expect(agent.events).not.toContainEqual({ type: 'sync', status: { cursor: 7 } });

    // A fresh browser profile must log in: it is handed nobody's desk, and its logout ends nothing.
    const fresh = await openBrowser(base);
    expect((await fresh.call('session/current')).body).toEqual({ ok: true, value: null });
    expect((await fresh.call('whoami')).status).toBe(401);
    expect((await fresh.call('session/logout')).status).toBe(200);
    expect(host.desks.openDesks().sort()).toEqual(['agent05', 'sup01']);

    // One logs out: its desk is logged out and closed; the other keeps working.
    expect((await supervisor.call('session/logout')).body).toEqual({ ok: true, value: { ok: true } });
    const closed = host.deskOf('sup01');
    expect(closed.calls.slice(-2)).toEqual(['sync/status', 'session/logout']);
    expect(closed.closed).toBe(true);
    expect(closed.discarded).toBe(false);
    expect((await supervisor.call('session/current')).body).toEqual({ ok: true, value: null });
    await supervisor.settle();
    expect(supervisor.events.at(-1)).toEqual({ type: 'session', session: null });
    expect((await agent.call('whoami')).body).toEqual({ ok: true, value: 'agent05' });
    expect(host.desks.openDesks()).toEqual(['agent05']);

    await agent.call('session/logout');
    expect(host.desks.openDesks()).toEqual([]);
    for (const browser of [agent, supervisor, fresh]) browser.close();
  });

  it('shares one desk between two browsers of the same user; the desk closes with the last logout', async () => {
    const first = await openBrowser(base);
    const second = await openBrowser(base);
    await first.call('session/login', login('agent04'));
    await second.call('session/login', login('agent04'));
    expect(host.opened.filter((d) => d.agentId === 'agent04')).toHaveLength(1);
    const desk = host.deskOf('agent04');

    desk.emit(callEvent('rings-for-agent04'));
    await first.settle();
    await second.settle();
    expect(first.events).toContainEqual(callEvent('rings-for-agent04'));
    expect(second.events).toContainEqual(callEvent('rings-for-agent04'));

    // The first browser logs out; the second keeps the desk, its session and its events.
    await first.call('session/logout');
    expect(desk.closed).toBe(false);
    expect(desk.calls).not.toContain('session/logout');
    expect((await first.call('whoami')).status).toBe(401);
    expect((await second.call('whoami')).body).toEqual({ ok: true, value: 'agent04' });
    desk.emit(callEvent('after-first-left'));
    await first.settle();
    await second.settle();
    expect(second.events).toContainEqual(callEvent('after-first-left'));
    expect(first.events).not.toContainEqual(callEvent('after-first-left'));

    await second.call('session/logout');
    expect(desk.calls.at(-1)).toBe('session/logout');
    expect(desk.closed).toBe(true);
    first.close();
    second.close();
  });

  it('keeps a failed login from changing anything: no desk left open, and nothing of the user seen meanwhile', async () => {
    const owner = await openBrowser(base);
    const intruder = await openBrowser(base);
    await owner.call('session/login', login('agent03'));

    // A wrong password for a signed-in user: the owner keeps the desk and gets what happened meanwhile.
    const refused = await intruder.call('session/login', login('agent03', 'wrong'));
    expect(refused.status).toBe(401);
    await owner.settle();
    await intruder.settle();
    expect(owner.events).toContainEqual(callEvent('during-failed-login-agent03'));
    expect(intruder.events).toEqual([]);
    expect((await intruder.call('whoami')).status).toBe(401);
    expect((await owner.call('whoami')).body).toEqual({ ok: true, value: 'agent03' });

    // A wrong password for a user with no desk here: the desk opened for the attempt closes, and what it made goes.
    expect((await intruder.call('session/login', login('agent02', 'wrong'))).status).toBe(401);
    const attempt = host.deskOf('agent02');
    expect(attempt.closed).toBe(true);
    expect(attempt.discarded).toBe(true);
    expect(attempt.calls).toEqual(['session/login']);
    expect(host.desks.openDesks()).toEqual(['agent03']);

    // A username that cannot exist opens nothing.
    const before = host.opened.length;
    expect((await intruder.call('session/login', login('../agent03'))).body).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(host.opened.length).toBe(before);

    await owner.call('session/logout');
    owner.close();
    intruder.close();
  });

  it('moves a browser that logs in as someone else to that user’s desk and closes the one it left', async () => {
    const browser = await openBrowser(base);
    await browser.call('session/login', login('agent01'));
    await browser.call('session/login', login('store01'));
    expect(host.deskOf('agent01').closed).toBe(true);
    expect(host.deskOf('agent01').calls.at(-1)).toBe('session/logout');
    expect((await browser.call('whoami')).body).toEqual({ ok: true, value: 'store01' });
    await browser.settle();
    expect(browser.events).toEqual([
      { type: 'session', session: { agentId: 'agent01' } },
      { type: 'session', session: { agentId: 'store01' } },
    ]);
    await browser.call('session/logout');
    browser.close();
  });

  it('sends a desk’s outbox before its logout', async () => {
    const browser = await openBrowser(base);
    await browser.call('session/login', login('agent02'));
    const desk = host.deskOf('agent02');
    desk.outboxPending = 2;
    await browser.call('session/logout');
    expect(desk.calls.slice(-3)).toEqual(['sync/status', 'sync/now', 'session/logout']);
    expect(desk.closed).toBe(true);
    browser.close();
  });

  it('signs out every browser of a desk whose session ended by itself, and closes that desk', async () => {
    const first = await openBrowser(base);
    const second = await openBrowser(base);
    await first.call('session/login', login('agent01'));
    await second.call('session/login', login('agent01'));
    const desk = host.deskOf('agent01');
    desk.signedIn = false;
    desk.emit({ type: 'session', session: null });
    await first.settle();
    await second.settle();
    expect(first.events.at(-1)).toEqual({ type: 'session', session: null });
    expect(second.events.at(-1)).toEqual({ type: 'session', session: null });
    expect((await first.call('session/current')).body).toEqual({ ok: true, value: null });
    expect((await second.call('whoami')).status).toBe(401);
    expect(host.desks.openDesks()).not.toContain('agent01');
    first.close();
    second.close();
  });

  it('counts every client without the cookie as one browser (scripts, the reliability tests)', async () => {
    const post = async (operation: string, body: unknown = {}) =>
      (await fetch(`${base}/api/invoke/${operation}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
    expect(await post('session/login', login('agent05'))).toEqual({ ok: true, value: { agentId: 'agent05' } });
    expect(await post('whoami')).toEqual({ ok: true, value: 'agent05' });
    const browser = await openBrowser(base);
    expect((await browser.call('whoami')).status).toBe(401);
    await post('session/logout');
    expect(host.desks.openDesks()).toEqual([]);
    browser.close();
  });
});

describe('browser-mode web host limits', () => {
  it('refuses a login past the configured number of desks with a clear 503 too_many_desks naming the limit, and lets it in once a user logs out', async () => {
    const host = await startHost({ maxDesks: 2 });
    const [a, b, c] = [await openBrowser(host.base), await openBrowser(host.base), await openBrowser(host.base)];
    await a.call('session/login', login('agent01'));
    await b.call('session/login', login('agent02'));
    const refused = await c.call('session/login', login('agent03'));
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({
      ok: false,
      error: {
        code: 'too_many_desks',
        message: 'this desk host already serves 2 signed-in users, the most it is set to (--max-desks); one of them must log out first',
        deskLimit: 2,
      },
    });
    expect(host.desks.openDesks().sort()).toEqual(['agent01', 'agent02']);
    // A user who already has a desk here needs no new one.
    expect((await c.call('session/login', login('agent02'))).status).toBe(200);

    await a.call('session/logout');
    expect((await c.call('session/login', login('agent03'))).body).toEqual({ ok: true, value: { agentId: 'agent03' } });
    for (const browser of [a, b, c]) browser.close();
    await host.close();
  });

  it('answers a login whose cache cannot be opened with 503 cache_unavailable and keeps serving the others', async () => {
    const host = await startHost({ failToOpen: 'agent04' });
    const [a, b] = [await openBrowser(host.base), await openBrowser(host.base)];
    const refused = await a.call('session/login', login('agent04'));
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'cache_unavailable' } });
    expect(!refused.body.ok && refused.body.error.message).toContain('agent04');
    expect((await b.call('session/login', login('agent05'))).status).toBe(200);
    a.close();
    b.close();
    await host.close();
  });
});

describe('desks nobody uses', () => {
  const IDLE_MS = 30 * 60_000;

  it('keeps a desk open while a tab of its user is open, and closes it the idle time after the last tab and request, as a logout would', async () => {
    const timers = manualTimers();
    const host = await startHost({ idleMs: IDLE_MS, startTimer: timers.startTimer });
    const first = await openBrowser(host.base);
    const second = await openBrowser(host.base);
    await first.call('session/login', login('agent01'));
    await second.call('session/login', login('agent01'));
    const desk = host.deskOf('agent01');
    desk.outboxPending = 1;
    // Open tabs hold their desk however long the agent leaves them alone.
    timers.advance(3 * IDLE_MS);
    expect(host.desks.openDesks()).toEqual(['agent01']);

    // Both tabs are closed: the idle time starts.
    first.close();
    second.close();
    await vi.waitFor(() => expect(timers.running()).toBe(1));
    timers.advance(IDLE_MS - 1);
    expect(host.desks.openDesks()).toEqual(['agent01']);
    // A request starts it again.
    expect((await first.call('whoami')).body).toEqual({ ok: true, value: 'agent01' });
    timers.advance(IDLE_MS - 1);
    expect(host.desks.openDesks()).toEqual(['agent01']);
    timers.advance(1);
    expect(host.desks.openDesks()).toEqual([]);
    await vi.waitFor(() => expect(desk.closed).toBe(true));
    // Closed as at the last logout: the outbox sent first, the session ended, nothing discarded.
    expect(desk.calls.slice(-3)).toEqual(['sync/status', 'sync/now', 'session/logout']);
    expect(desk.discarded).toBe(false);
    expect((await first.call('session/current')).body).toEqual({ ok: true, value: null });
    expect((await second.call('whoami')).status).toBe(401);

    // The agent comes back and signs in: a new desk on the same cache.
    expect((await second.call('session/login', login('agent01'))).body).toEqual({ ok: true, value: { agentId: 'agent01' } });
    expect(host.opened.filter((d) => d.agentId === 'agent01')).toHaveLength(2);
    await host.close();
  });

  it('gives the slot of a desk left idle under --max-desks to the next user', async () => {
    const timers = manualTimers();
    const host = await startHost({ maxDesks: 1, idleMs: IDLE_MS, startTimer: timers.startTimer });
    const [left, next] = [await openBrowser(host.base), await openBrowser(host.base)];
    await left.call('session/login', login('agent02'));
    left.close();
    expect((await next.call('session/login', login('agent03'))).body).toMatchObject({ ok: false, error: { code: 'too_many_desks', deskLimit: 1 } });
    await vi.waitFor(() => expect(timers.running()).toBe(1));
    timers.advance(IDLE_MS);
    expect((await next.call('session/login', login('agent03'))).body).toEqual({ ok: true, value: { agentId: 'agent03' } });
    expect(host.desks.openDesks()).toEqual(['agent03']);
    next.close();
    await host.close();
  });
});

describe('one backend per cache file', () => {
  it('opens a user’s desk again only after the previous one for that user has closed', async () => {
    let finishClosing = () => {};
    const opened: { desk: FakeDesk; earlierClosed: boolean }[] = [];
    const desks = createUserDesks({
      maxDesks: 2,
      warn: () => undefined,
      opener: (agentId) => {
        const desk = fakeDesk(agentId);
        // The first desk's close waits until the test lets it finish.
        if (opened.length === 0) desk.close = () => new Promise<void>((resolve) => (finishClosing = resolve)).then(() => void (desk.closed = true));
        opened.push({ desk, earlierClosed: opened.every((o) => o.desk.closed) });
        return { backend: desk };
      },
    });
    await desks.invoke('first-browser', 'session/login', login('agent01'));
    const loggingOut = desks.invoke('first-browser', 'session/logout', {});
    const loggingIn = desks.invoke('second-browser', 'session/login', login('agent01'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(opened).toHaveLength(1);
    finishClosing();
    await loggingOut;
    expect((await loggingIn).body).toEqual({ ok: true, value: { agentId: 'agent01' } });
    expect(opened.map((o) => o.earlierClosed)).toEqual([true, true]);
    await desks.close();
  });
});
