// The browser-mode shell: serves the same renderer build and carries the same desk contract
// over HTTP (POST /api/invoke/<operation>) and a WebSocket (/api/events). Loopback only, and
// it refuses requests whose Host or Origin is not itself, so a web page the agent happens to
// open cannot drive the desk (DNS rebinding, cross-site POST).
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { DeskErrorCode, DeskResult } from '../shared/contract/desk-api';
import { CONTENT_SECURITY_POLICY } from '../desk-backend/hosting/content-security-policy';
import { browserCookie, browserIdOf, createBrowserSessions, newBrowserId } from './browser-session';

export interface DeskInvoker {
  invoke(operation: string, input: unknown): Promise<DeskResult<unknown>>;
  onEvent(listener: (event: unknown) => void): () => void;
}

const STATUS_BY_CODE: Record<DeskErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  offline: 503,
  cache_unavailable: 503,
  internal: 500,
};

function isSameOrigin(request: FastifyRequest): boolean {
  const port = request.socket.localPort;
  const host = request.headers.host ?? '';
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!allowedHosts.includes(host)) return false;
  const origin = request.headers.origin;
  return origin === undefined || origin === `http://${host}`;
}

interface WebSocketLike {
  send(text: string): void;
}

const isSessionEnd = (event: unknown) =>
  typeof event === 'object' && event !== null && (event as { type?: unknown }).type === 'session' && (event as { session?: unknown }).session === null;

export async function createWebHost(options: { backend: DeskInvoker; rendererDir: string }): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024, forceCloseConnections: true });

  app.addHook('onRequest', async (request, reply) => {
    if (isSameOrigin(request)) return;
    if (request.headers.upgrade) {
      // A refused WebSocket upgrade has no HTTP response object to send through: answer on the socket.
      reply.hijack();
      request.raw.socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    await reply.code(403).send({ ok: false, error: { code: 'forbidden', message: 'cross-origin request refused' } });
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    // Every browser gets its own id with its first answer (the page), so its calls name it.
    if (browserIdOf(request.headers.cookie) === null && !reply.hasHeader('set-cookie')) reply.header('set-cookie', browserCookie(newBrowserId()));
  });
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    const code: DeskErrorCode = status >= 500 ? 'internal' : 'bad_request';
    void reply.code(status).send({ ok: false, error: { code, message: status >= 500 ? 'internal error' : error.message } });
  });

  await app.register(fastifyWebsocket);
  await app.register(fastifyStatic, { root: options.rendererDir, index: 'index.html' });

  // The login belongs to the browser that made it (see browser-session.ts).
  const sessions = createBrowserSessions();
  const sockets = new Map<WebSocketLike, string | null>();
  const sendTo = (browserId: string, text: string) => {
    for (const [socket, id] of sockets) if (id === browserId) socket.send(text);
  };
  const endedFor = (browserId: string) => sendTo(browserId, JSON.stringify({ type: 'session', session: null }));
  // Events while another browser logs in: the owner's if that login fails; if it takes the desk, only its
  // own session event goes to the newcomer (what rang for the previous owner is not the newcomer's).
  let held: { owner: string; events: { text: string; session: boolean }[] } | null = null;

  app.post<{ Params: { '*': string } }>('/api/invoke/*', async (request, reply) => {
    const operation = request.params['*'];
    const browserId = browserIdOf(request.headers.cookie);
    const route = sessions.route(browserId, operation);
    if (route.kind === 'answer') return reply.code(route.status).send(route.body);
    const result = await options.backend.invoke(operation, request.body ?? {});
    const { previousOwner } = sessions.answered(browserId, operation, result.ok);
    if (previousOwner !== null) endedFor(previousOwner);
    if (held !== null && sessions.heldFor() === null) {
      const tookOver = previousOwner !== null && browserId !== null;
      for (const { text, session } of held.events) {
        if (!tookOver) sendTo(held.owner, text);
        else if (session) sendTo(browserId, text);
      }
      held = null;
    }
    return reply.code(result.ok ? 200 : STATUS_BY_CODE[result.error.code]).send(result);
  });

  const unsubscribe = options.backend.onEvent((event) => {
    if (isSessionEnd(event)) sessions.sessionEnded();
    const text = JSON.stringify(event);
    for (const [socket, browserId] of sockets) if (isSessionEnd(event) || sessions.mayReceiveEvents(browserId)) socket.send(text);
    const waiting = sessions.heldFor();
    if (waiting !== null && !isSessionEnd(event)) {
      if (held?.owner !== waiting) held = { owner: waiting, events: [] };
      held.events.push({ text, session: (event as { type?: unknown }).type === 'session' });
    }
  });
  app.addHook('onClose', async () => unsubscribe());

  app.get('/api/events', { websocket: true }, (socket, request) => {
    sockets.set(socket, browserIdOf(request.headers.cookie));
    socket.on('close', () => sockets.delete(socket));
  });

  return app;
}
