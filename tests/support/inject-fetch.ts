// A `fetch` that hands each request to a Fastify app through app.inject: the desk's real HTTP
// client talks to the real central API in-process, without sockets (fast, and fault layers can
// sit in between). `app` is a getter so a restarted server is picked up.
import type { FastifyInstance } from 'fastify';

export interface InjectableRequest {
  method: string;
  /** Path and query, e.g. /sync/changes?after=0&limit=1000 */
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export function toInjectableRequest(input: string | URL | Request, init: RequestInit = {}): InjectableRequest {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, key) => {
    headers[key] = value;
  });
  if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') throw new Error('injectFetch sends string bodies only');
  return { method: init.method ?? 'GET', path: `${url.pathname}${url.search}`, headers, body: init.body ?? undefined };
}

export async function injectRequest(app: FastifyInstance, request: InjectableRequest): Promise<Response> {
  const reply = await app.inject({
    method: request.method as 'GET',
    url: request.path,
    headers: request.headers,
    ...(request.body === undefined ? {} : { payload: request.body }),
  });
  const headers = new Headers();
  for (const [key, value] of Object.entries(reply.headers)) if (value !== undefined) headers.set(key, [value].flat().join(', '));
  return new Response(reply.body === '' ? null : reply.body, { status: reply.statusCode, headers });
}

export function injectFetch(app: () => FastifyInstance): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    init?.signal?.throwIfAborted();
    return injectRequest(app(), toInjectableRequest(input, init));
  }) as typeof fetch;
}
