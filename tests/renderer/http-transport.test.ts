// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeskEvent } from '../../shared/contract/desk-api';
import { DeskClientError } from '../../renderer/transport/desk-client';
import { createHttpDeskClient, eventsUrlFor } from '../../renderer/transport/http-client';
import { createIpcDeskClient } from '../../renderer/transport/ipc-client';
import type { SocketLike } from '../../renderer/transport/reconnecting-socket';
import { AGENT_SESSION, callEvent } from './fixtures';

afterEach(() => vi.useRealTimers());

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function clientWith(fetchImpl: typeof fetch) {
  return createHttpDeskClient({ eventsUrl: 'ws://127.0.0.1:5199/api/events', fetch: fetchImpl, openSocket: () => new FakeSocket() });
}

async function rejection(promise: Promise<unknown>): Promise<DeskClientError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeskClientError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

class FakeSocket implements SocketLike {
  static opened: FakeSocket[] = [];
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  constructor() {
    FakeSocket.opened.push(this);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.({} as Event);
  }
  receive(data: unknown) {
    this.onmessage?.({ data } as MessageEvent);
  }
  drop() {
    this.onclose?.({} as CloseEvent);
  }
}

describe('HTTP transport', () => {
  it('posts the JSON input to /api/invoke/<operation> and returns the parsed output', async () => {
    const fetchStub = vi.fn<typeof fetch>(async () => jsonResponse({ ok: true, value: AGENT_SESSION }));
    const session = await clientWith(fetchStub).call('session/login', { username: 'agent01', password: 'demo1234' });
    expect(session).toEqual(AGENT_SESSION);
    const [url, init] = fetchStub.mock.calls[0] ?? [];
    expect(url).toBe('/api/invoke/session/login');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({ username: 'agent01', password: 'demo1234' });
  });

  it('turns a failure result into a DeskClientError with its code, whatever the status', async () => {
    const fetchStub = vi.fn<typeof fetch>(async () => jsonResponse({ ok: false, error: { code: 'unauthenticated', message: 'wrong password' } }, 401));
    const error = await rejection(clientWith(fetchStub).call('session/login', { username: 'a', password: 'b' }));
    expect(error.code).toBe('unauthenticated');
    expect(error.message).toBe('wrong password');
  });

  it('reports a network failure or a non-JSON body as offline', async () => {
    const down = vi.fn<typeof fetch>(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect((await rejection(clientWith(down).call('sync/status', {}))).code).toBe('offline');
    const proxyPage = vi.fn<typeof fetch>(async () => new Response('<html>502 Bad Gateway</html>', { status: 502 }));
    expect((await rejection(clientWith(proxyPage).call('sync/status', {}))).code).toBe('offline');
  });

  it('rejects an output that does not match the channel schema', async () => {
    const fetchStub = vi.fn<typeof fetch>(async () => jsonResponse({ ok: true, value: { agentId: 'x' } }));
    const error = await rejection(clientWith(fetchStub).call('session/current', {}));
    expect(error.code).toBe('internal');
    expect(error.message).toContain('session/current');
    const notAResult = vi.fn<typeof fetch>(async () => jsonResponse({ statusCode: 404, error: 'Not Found' }, 404));
    expect((await rejection(clientWith(notAResult).call('session/current', {}))).code).toBe('internal');
  });

  it('derives the event URL from the page origin', () => {
    expect(eventsUrlFor({ protocol: 'http:', host: '127.0.0.1:5199' })).toBe('ws://127.0.0.1:5199/api/events');
    expect(eventsUrlFor({ protocol: 'https:', host: 'desk.example' })).toBe('wss://desk.example/api/events');
  });

  it('delivers valid events from the socket, drops invalid ones and reconnects with capped backoff', () => {
    vi.useFakeTimers();
    FakeSocket.opened = [];
    const client = createHttpDeskClient({
      eventsUrl: 'ws://127.0.0.1:5199/api/events',
      fetch: vi.fn<typeof fetch>(),
      openSocket: () => new FakeSocket(),
      reconnect: { initialDelayMs: 100, maxDelayMs: 300 },
    });
    const received: DeskEvent[] = [];
    const unsubscribe = client.onEvent((e) => received.push(e));
    expect(FakeSocket.opened).toHaveLength(1);

    const first = FakeSocket.opened[0]!;
    first.open();
    first.receive(JSON.stringify(callEvent('offered')));
    first.receive('not json');
    first.receive(JSON.stringify({ type: 'call', event: { callId: '' } }));
    expect(received).toEqual([callEvent('offered')]);

    // Delays 100, 200, 300, 300: doubling, capped.
    first.drop();
    vi.advanceTimersByTime(99);
    expect(FakeSocket.opened).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.opened).toHaveLength(2);
    FakeSocket.opened[1]!.drop();
    vi.advanceTimersByTime(200);
    expect(FakeSocket.opened).toHaveLength(3);
    FakeSocket.opened[2]!.drop();
    vi.advanceTimersByTime(300);
    expect(FakeSocket.opened).toHaveLength(4);
    FakeSocket.opened[3]!.drop();
    vi.advanceTimersByTime(300);
    expect(FakeSocket.opened).toHaveLength(5);

    // An open connection resets the backoff.
    FakeSocket.opened[4]!.open();
    FakeSocket.opened[4]!.drop();
    vi.advanceTimersByTime(100);
    expect(FakeSocket.opened).toHaveLength(6);

    unsubscribe();
    expect(FakeSocket.opened[5]!.closed).toBe(true);
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.opened).toHaveLength(6);
  });
});

describe('IPC transport', () => {
  it('unwraps bridge results and validates bridge events the same way', async () => {
    let push: ((event: DeskEvent) => void) | null = null;
    const client = createIpcDeskClient({
      invoke: async (channel) =>
        channel === 'session/current' ? { ok: true, value: AGENT_SESSION } : { ok: false, error: { code: 'forbidden', message: 'no' } },
      onEvent: (listener) => {
        push = listener;
        return () => undefined;
      },
    });
    expect(await client.call('session/current', {})).toEqual(AGENT_SESSION);
    expect((await rejection(client.call('sync/now', {}))).code).toBe('forbidden');

    const received: DeskEvent[] = [];
    client.onEvent((e) => received.push(e));
    push!(callEvent('ended'));
    push!({ type: 'bogus' } as unknown as DeskEvent);
    expect(received).toEqual([callEvent('ended')]);
  });
});
