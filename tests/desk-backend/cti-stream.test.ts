import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import type { CtiPush } from '../../shared/contract/central-api';
import { DESK_REVOKED_CLOSE_CODE } from '../../shared/contract/desk-push';
import { ctiStreamUrl, openCtiStream, type CtiStream } from '../../desk-backend/central-api/cti-stream';
import { until } from './support/wait';

const push = (callId: string): CtiPush => ({
  type: 'call',
  event: { callId, ani: '+8613800000001', agentId: 'agent-a', event: 'offered' },
  at: '2025-06-01T10:00:00.000Z',
});

describe('CTI stream', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  function startServer(port = 0) {
    const connections: { protocol: string; socket: WebSocket }[] = [];
    const wss = new WebSocketServer({ port, host: '127.0.0.1', handleProtocols: (protocols) => [...protocols][0] ?? false });
    wss.on('connection', (socket, request) => {
      connections.push({ protocol: String(request.headers['sec-websocket-protocol']), socket });
    });
    cleanups.push(() => wss.close());
    return { wss, connections, ready: new Promise<number>((resolve) => wss.on('listening', () => resolve((wss.address() as AddressInfo).port))) };
  }

  it('maps the API URL to the stream URL', () => {
    expect(ctiStreamUrl('http://127.0.0.1:4310')).toBe('ws://127.0.0.1:4310/cti/stream');
    expect(ctiStreamUrl('https://clm.example.com/')).toBe('wss://clm.example.com/cti/stream');
  });

  it('authenticates with the bearer subprotocol, delivers valid pushes, ignores invalid ones, reconnects, and stops on close()', async () => {
    const first = startServer();
    const port = await first.ready;
    const received: CtiPush[] = [];
    const problems: string[] = [];
    let stream: CtiStream | null = openCtiStream({
      apiUrl: `http://127.0.0.1:${port}`,
      token: 'abc.def',
      onPush: (p) => received.push(p),
      onProblem: (m) => problems.push(m),
      backoff: { baseMs: 20, capMs: 100 },
    });
    cleanups.push(() => stream?.close());

    await until(() => first.connections.length === 1);
    // The desk-push protocol first (the server selects it), then the token.
    expect(first.connections[0]?.protocol).toBe('clm.desk-push.v1,bearer.abc.def');
    first.connections[0]?.socket.send('not json');
    first.connections[0]?.socket.send(JSON.stringify({ type: 'call', event: { callId: 'x' } }));
    first.connections[0]?.socket.send(JSON.stringify(push('call-1')));
    await until(() => received.length === 1);
    expect(received[0]).toEqual(push('call-1'));
    expect(problems).toHaveLength(2);

    // The server goes away and comes back on the same port: the stream reconnects by itself.
    for (const client of first.wss.clients) client.terminate();
    await new Promise<void>((resolve) => first.wss.close(() => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = startServer(port);
    await second.ready;
    await until(() => second.connections.length === 1);
    second.connections[0]?.socket.send(JSON.stringify(push('call-2')));
    await until(() => received.length === 2);

    stream.close();
    stream = null;
    await until(() => second.connections[0]?.socket.readyState === second.connections[0]?.socket.CLOSED);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(second.connections).toHaveLength(1);
  });

  it('does not reconnect once the server closed the stream because the desk was revoked (every reconnect would be refused)', async () => {
    const server = startServer();
    const port = await server.ready;
    const problems: string[] = [];
    const stream = openCtiStream({
      apiUrl: `http://127.0.0.1:${port}`,
      token: 'abc.def',
      onPush: () => undefined,
      onProblem: (m) => problems.push(m),
      backoff: { baseMs: 20, capMs: 100 },
    });
    cleanups.push(() => stream.close());
    await until(() => server.connections.length === 1);
    server.connections[0]?.socket.close(DESK_REVOKED_CLOSE_CODE, 'desk revoked');
    await until(() => problems.length === 1);
    expect(problems[0]).toContain('revoked');
    // Several backoff periods later, still no second connection.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.connections).toHaveLength(1);
  });
});
