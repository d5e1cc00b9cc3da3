// The browser-mode shell: serves the same renderer build and carries the same desk contract
// over HTTP (POST /api/invoke/<channel>) and a WebSocket (/api/events). Loopback only, and
// it refuses requests whose Host or Origin is not itself, so a web page the agent happens to
// open cannot drive the desk (DNS rebinding, cross-site POST).
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { DeskErrorCode, DeskResult } from '../../shared/contract/desk-api';
import { CONTENT_SECURITY_POLICY } from '../common/content-security-policy';

export interface DeskInvoker {
  invoke(channel: string, input: unknown): Promise<DeskResult<unknown>>;
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
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
  });
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    const code: DeskErrorCode = status >= 500 ? 'internal' : 'bad_request';
    void reply.code(status).send({ ok: false, error: { code, message: status >= 500 ? 'internal error' : error.message } });
  });

  await app.register(fastifyWebsocket);
  await app.register(fastifyStatic, { root: options.rendererDir, index: 'index.html' });

  app.post<{ Params: { '*': string } }>('/api/invoke/*', async (request, reply) => {
    const result = await options.backend.invoke(request.params['*'], request.body ?? {});
    return reply.code(result.ok ? 200 : STATUS_BY_CODE[result.error.code]).send(result);
  });

  app.get('/api/events', { websocket: true }, (socket) => {
    const unsubscribe = options.backend.onEvent((event) => socket.send(JSON.stringify(event)));
    socket.on('close', unsubscribe);
  });

  return app;
}
