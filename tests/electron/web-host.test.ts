import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWebHost } from '../../electron/web/web-host';
import type { DeskResult } from '../../shared/contract/desk-api';

describe('browser-mode web host', () => {
  const rendererDir = mkdtempSync(path.join(tmpdir(), 'clm-renderer-'));
  const listeners = new Set<(event: unknown) => void>();
  const calls: { channel: string; input: unknown }[] = [];
  let host: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>CLM Desk</title>');
    host = await createWebHost({
      rendererDir,
      backend: {
        async invoke(channel, input): Promise<DeskResult<unknown>> {
          calls.push({ channel, input });
          if (channel === 'session/current') return { ok: true, value: null };
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
    const directive = (name: string) => policy.split(';').map((d) => d.trim().split(/\s+/)).find(([n]) => n === name)?.slice(1);
    expect(directive('worker-src')).toEqual(['blob:']);
    expect(directive('script-src')).toEqual(["'self'"]);
    expect(directive('default-src')).toEqual(["'self'"]);
  });

  it('carries a channel call to the backend and its result back', async () => {
    const response = await fetch(`${base}/api/invoke/session/current`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, value: null });
    expect(calls.at(-1)).toEqual({ channel: 'session/current', input: {} });
  });

  it('maps a failure to its HTTP status with the DeskResult body', async () => {
    const response = await fetch(`${base}/api/invoke/outcome/record`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"result":"accepted"}' });
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
    const crossSite = await fetch(`${base}/api/invoke/sync/status`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: '{}' });
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

  it('pushes backend events to WebSocket clients', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/events`);
    await new Promise((resolve) => ws.on('open', resolve));
    const received = new Promise<unknown>((resolve) => ws.on('message', (data) => resolve(JSON.parse(String(data)))));
    const event = { type: 'session', session: null };
    for (const listener of listeners) listener(event);
    await expect(received).resolves.toEqual(event);
    ws.close();
  });
});
