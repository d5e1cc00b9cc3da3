// A stand-in for a Genesys Cloud organisation's notification service, enough for our connector:
// the OAuth client-credentials grant, notification channels and their subscriptions, and the
// channel's WebSocket with its heartbeat. `npm run calls -- --replay` plays Genesys fixtures through
// it, and the tests drive it (play messages, drop the connection to see the connector come back).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

const HEARTBEAT_MS = 30_000;
const HEARTBEAT = JSON.stringify({ topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } });

export interface FakeGenesys {
  /** Both the API and the login base URL of this fake organisation. */
  url: string;
  /** Channels the connector has created so far (one per session). */
  channelsCreated(): number;
  /** Resolves once the newest channel has a connected WebSocket subscribed to `topic`. */
  subscribed(topic: string): Promise<void>;
  /** Sends notification messages, in order, on the newest connected channel. */
  play(messages: readonly unknown[]): void;
  /** Cuts the newest channel's WebSocket without a closing handshake, as a network fault would. */
  dropConnection(): void;
  close(): Promise<void>;
}

interface Channel {
  id: string;
  topics: string[];
  socket: WebSocket | null;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text;
}

export async function startFakeGenesys(options: { clientId: string; clientSecret: string; port?: number }): Promise<FakeGenesys> {
  const channels: Channel[] = [];
  const tokens = new Set<string>();
  const waiting: (() => void)[] = [];
  const newest = () => channels.findLast((channel) => channel.socket !== null);
  const settle = () => waiting.splice(0).forEach((check) => check());

  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server = createServer((request, response) => {
    void (async () => {
      const path = new URL(request.url ?? '/', 'http://fake').pathname;
      const body = await bodyOf(request);
      if (request.method === 'POST' && path === '/oauth/token') {
        const expected = `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`;
        if (request.headers.authorization !== expected || !body.includes('grant_type=client_credentials'))
          return json(response, 401, { error: 'invalid_client' });
        const token = `token-${tokens.size + 1}`;
        tokens.add(token);
        return json(response, 200, { access_token: token, token_type: 'bearer', expires_in: 86_399 });
      }
      if (!tokens.has((request.headers.authorization ?? '').replace(/^Bearer /, ''))) return json(response, 401, { message: 'bad token' });
      if (request.method === 'POST' && path === '/api/v2/notifications/channels') {
        const id = `streaming-${channels.length + 1}`;
        channels.push({ id, topics: [], socket: null });
        const { port } = server.address() as AddressInfo;
        return json(response, 200, { id, connectUri: `ws://127.0.0.1:${port}/channels/${id}`, expires: new Date(Date.now() + 86_400_000).toISOString() });
      }
      const subscription = /^\/api\/v2\/notifications\/channels\/([^/]+)\/subscriptions$/.exec(path);
      const channel = channels.find((c) => c.id === subscription?.[1]);
      if (request.method === 'PUT' && channel !== undefined) {
        channel.topics = (JSON.parse(body) as { id: string }[]).map((topic) => topic.id);
        settle();
        return json(response, 200, { entities: channel.topics.map((id) => ({ id })) });
      }
      return json(response, 404, { message: `no route ${request.method} ${path}` });
    })();
  });

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    const channel = channels.find((c) => request.url === `/channels/${c.id}`);
    if (channel === undefined) return socket.destroy();
    sockets.handleUpgrade(request, socket, head, (ws) => {
      channel.socket = ws;
      const heartbeat = setInterval(() => ws.send(HEARTBEAT), HEARTBEAT_MS);
      ws.on('close', () => {
        clearInterval(heartbeat);
        if (channel.socket === ws) channel.socket = null;
      });
      settle();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    channelsCreated: () => channels.length,
    subscribed: (topic) =>
      new Promise<void>((resolve) => {
        const check = () => (newest()?.topics.includes(topic) ? resolve() : waiting.push(check));
        check();
      }),
    play(messages) {
      const socket = newest()?.socket;
      if (!socket) throw new Error('no connector is connected to the fake Genesys');
      for (const message of messages) socket.send(JSON.stringify(message));
    },
    dropConnection: () => newest()?.socket?.terminate(),
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
