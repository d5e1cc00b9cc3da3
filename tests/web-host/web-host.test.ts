import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWebHost } from '../../web-host/web-host';
import type { DeskResult } from '../../shared/contract/desk-api';

describe('browser-mode web host', () => {
  const rendererDir = mkdtempSync(path.join(tmpdir(), 'clm-renderer-'));
  const listeners = new Set<(event: unknown) => void>();
  const calls: { operation: string; input: unknown }[] = [];
  let signedIn: string | null = null;
  let host: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>CLM Desk</title>');
    host = await createWebHost({
      rendererDir,
      backend: {
        async invoke(operation, input): Promise<DeskResult<unknown>> {
          calls.push({ operation, input });
          // One desk session, as the real backend keeps: a login replaces it.
          if (operation === 'session/login' && (input as { password: string }).password === 'wrong') {
            // A call rings for the signed-in agent while someone else's login is being checked.
            for (const listener of listeners) listener({ type: 'call', event: { callId: 'during-login' } });
            return { ok: false, error: { code: 'unauthenticated', message: 'bad credentials' } };
          }
          if (operation === 'session/login') {
            signedIn = (input as { username: string }).username;
            for (const listener of listeners) listener({ type: 'session', session: { agentId: signedIn } });
            return { ok: true, value: { agentId: signedIn } };
          }
          if (operation === 'session/logout') {
            signedIn = null;
            for (const listener of listeners) listener({ type: 'session', session: null });
            return { ok: true, value: { ok: true } };
          }
          if (operation === 'session/current') return { ok: true, value: signedIn === null ? null : { agentId: signedIn } };
          if (signedIn !== null && operation === 'sync/status') return { ok: true, value: { signedIn } };
          return { ok: false, error: { code: 'unauthenticated', message: 'log in first' } };
        },
        onEvent(listener) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      },
    });
    base = await host.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await host.close();
    rmSync(rendererDir, { recursive: true, force: true });
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

  it('carries a operation call to the backend and its result back', async () => {
    const response = await fetch(`${base}/api/invoke/session/current`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, value: null });
    expect(calls.at(-1)).toEqual({ operation: 'session/current', input: {} });
  });

  it('maps a failure to its HTTP status with the DeskResult body', async () => {
    const response = await fetch(`${base}/api/invoke/outcome/record`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"result":"accepted"}',
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'log in first' } });
  });

  it('answers malformed JSON with a clear 400, not a crash', async () => {
    const response = await fetch(`${base}/api/invoke/sync/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"oops' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as DeskResult<unknown>;
    expect(body.ok).toBe(false);
    expect(!body.ok && body.error.code).toBe('bad_request');
  });

  it('refuses cross-origin calls and foreign Host headers', async () => {
    const before = calls.length;
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
    expect(calls.length).toBe(before);
  });

  /** A browser: its own cookie (from its first page load), its calls and its event socket. */
  async function browser() {
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
    return { setCookie, cookie, call, events, close: () => ws.close() };
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  it('gives each browser its own id in an HttpOnly, SameSite=Strict cookie', async () => {
    const a = await browser();
    const b = await browser();
    expect(a.setCookie).toMatch(/^clm_browser=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(a.cookie).not.toBe(b.cookie);
    a.close();
    b.close();
  });

  it('keeps the login to the browser that made it: another browser sees no session, no data and no events, and cannot log it out', async () => {
    const a = await browser();
    const b = await browser();
    expect((await a.call('session/login', { username: 'agent01', password: 'x' })).body).toEqual({ ok: true, value: { agentId: 'agent01' } });
    expect((await a.call('session/current')).body).toEqual({ ok: true, value: { agentId: 'agent01' } });
    expect((await a.call('sync/status')).body).toEqual({ ok: true, value: { signedIn: 'agent01' } });

    // A fresh browser must log in: it is not handed agent01's desk.
    expect((await b.call('session/current')).body).toEqual({ ok: true, value: null });
    const refused = await b.call('sync/status');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    // Its logout ends nothing.
    expect((await b.call('session/logout')).status).toBe(200);
    expect(signedIn).toBe('agent01');

    for (const listener of listeners) listener({ type: 'call', event: { callId: 'c-1' } });
    await settle();
    expect(a.events).toContainEqual({ type: 'call', event: { callId: 'c-1' } });
    expect(b.events).not.toContainEqual({ type: 'call', event: { callId: 'c-1' } });

    // A failed login on b changes nothing: a keeps the desk and gets what rang meanwhile.
    expect((await b.call('session/login', { username: 'sup01', password: 'wrong' })).status).toBe(401);
    await settle();
    expect(a.events).toContainEqual({ type: 'call', event: { callId: 'during-login' } });
    expect(b.events).not.toContainEqual({ type: 'call', event: { callId: 'during-login' } });
    expect((await a.call('session/current')).body).toEqual({ ok: true, value: { agentId: 'agent01' } });

    // Logging in on b takes the desk over: a is told its session ended and is refused from then on.
    await b.call('session/login', { username: 'sup01', password: 'x' });
    await settle();
    expect(a.events.at(-1)).toEqual({ type: 'session', session: null });
    expect((await a.call('session/current')).body).toEqual({ ok: true, value: null });
    expect((await a.call('sync/status')).status).toBe(401);
    expect((await b.call('session/current')).body).toEqual({ ok: true, value: { agentId: 'sup01' } });
    expect(b.events).toContainEqual({ type: 'session', session: { agentId: 'sup01' } });
    expect(a.events).not.toContainEqual({ type: 'session', session: { agentId: 'sup01' } });

    await b.call('session/logout');
    expect(signedIn).toBeNull();
    a.close();
    b.close();
  });
});
