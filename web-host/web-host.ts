// The browser-mode shell: serves the same renderer build and carries the same desk contract
// over HTTP (POST /api/invoke/<operation>) and a WebSocket (/api/events). Loopback only, and
// it refuses requests whose Host or Origin is not itself, so a web page the agent happens to
// open cannot drive the desk (DNS rebinding, cross-site POST).
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { DeskErrorCode } from '../shared/contract/desk-api';
import { CONTENT_SECURITY_POLICY } from '../desk-backend/hosting/content-security-policy';
import { browserCookie, browserIdOf, browserKeyOf, newBrowserId } from './browser-session';
import type { CompanySignInHost } from './company-sign-in';
import type { UserDesks } from './user-desks';

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

/** Serves the desks of the users signed in from browsers (user-desks.ts); closing the host leaves them to the caller. */
export async function createWebHost(options: { desks: UserDesks; rendererDir: string; companySignIn?: CompanySignInHost }): Promise<FastifyInstance> {
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

  // The login belongs to the browser that made it: each browser's calls go to its user's desk, and
  // each desk's events only to the browsers signed in to it (user-desks.ts).
  const sockets = new Map<WebSocketLike, string>();
  const unsubscribe = options.desks.onEvent((browser, event) => {
    const text = JSON.stringify(event);
    for (const [socket, key] of sockets) if (key === browser) socket.send(text);
  });
  app.addHook('onClose', async () => unsubscribe());

  app.post<{ Params: { '*': string } }>('/api/invoke/*', async (request, reply) => {
    // Company sign-in starts before the browser has a desk: the host answers it (company-sign-in.ts).
    const hostAnswer = await options.companySignIn?.answer(request.params['*'], `http://${request.headers.host}`);
    if (hostAnswer != null) return reply.code(hostAnswer.status).send(hostAnswer.body);
    const answer = await options.desks.invoke(browserKeyOf(request.headers.cookie), request.params['*'], request.body ?? {});
    return reply.code(answer.status).send(answer.body);
  });

  app.get('/api/events', { websocket: true }, (socket, request) => {
    const browser = browserKeyOf(request.headers.cookie);
    sockets.set(socket, browser);
    // An open tab keeps its user's desk open; once its last socket closes, the desk's idle time starts.
    const closed = options.desks.socketOpened(browser);
    socket.on('close', () => {
      sockets.delete(socket);
      closed();
    });
  });

  return app;
}
