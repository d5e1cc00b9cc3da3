// Registers a route of the central API's route table (shared/contract/central-api-routes.ts): the
// method, path, roles and schemas come from the table, the OpenAPI prose and examples from the
// route's module. Request schemas are made strict here, at the server's door (see strict-schema.ts).
import type { onRequestAsyncHookHandler } from 'fastify';
import type { z } from 'zod';
import { centralApiRoutes, type CentralApiOperation, type CentralApiRoutes } from '../../shared/contract/central-api-routes';
import { requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import { PUBLIC_ROUTE, documentedBody, documentedResponse, emptyResponse } from './openapi-document';
import { strictDeep } from './strict-schema';

type Part<R, K extends string> = R extends { [P in K]: infer S extends z.ZodType } ? S : undefined;
type SuccessResponse<R> = R extends { response: infer S extends z.ZodType } ? { 200: S } : { 204: ReturnType<typeof emptyResponse> };

export interface RouteDocs<R, E> {
  tags: string[];
  summary: string;
  description: string;
  /** What the body carries, and an example a client may send (routes that take one). */
  body?: Part<R, 'body'> extends z.ZodType ? { description: string; example: z.input<Part<R, 'body'>> } : never;
  /** What the success answer means, and an example of it (left out where it is too large to show). */
  answer: { description: string; example?: R extends { response: infer S extends z.ZodType } ? z.output<S> : never };
  /** The other statuses the route answers with: its errors, a 304, ... */
  otherResponses: E;
}

export interface ContractRouteOptions<R, E> {
  method: 'GET' | 'POST';
  url: string;
  onRequest?: onRequestAsyncHookHandler;
  schema: {
    tags: string[];
    operationId: string;
    summary: string;
    description: string;
    security?: never[];
    headers: Part<R, 'headers'>;
    querystring: Part<R, 'query'>;
    body: Part<R, 'body'>;
    response: SuccessResponse<R> & E;
  };
}

/** Fastify route options for `operationId`; spread them into `app.route({ ...contractRoute(...), handler })`. */
export function contractRoute<K extends CentralApiOperation, E extends Record<number, z.ZodType>>(
  operationId: K,
  tokens: TokenService,
  docs: RouteDocs<CentralApiRoutes[K], E>,
): ContractRouteOptions<CentralApiRoutes[K], E> {
  const route: CentralApiRoutes[K] & { query?: z.ZodObject; headers?: z.ZodObject; body?: z.ZodType } = centralApiRoutes[operationId];
  const success =
    route.response === null
      ? { 204: emptyResponse(docs.answer.description) }
      : {
          200:
            docs.answer.example === undefined
              ? route.response.meta({ description: docs.answer.description })
              : documentedResponse(route.response, docs.answer.description, docs.answer.example),
        };
  const schema = {
    tags: docs.tags,
    operationId,
    summary: docs.summary,
    description: docs.description,
    ...(route.roles === 'public' ? { security: PUBLIC_ROUTE } : {}),
    ...(route.headers === undefined ? {} : { headers: route.headers }),
    ...(route.query === undefined ? {} : { querystring: strictDeep(route.query) }),
    ...(route.body === undefined
      ? {}
      : { body: docs.body === undefined ? strictDeep(route.body) : documentedBody(strictDeep(route.body), docs.body.description, docs.body.example) }),
    response: { ...success, ...docs.otherResponses },
  };
  return {
    method: route.method,
    url: route.path,
    ...(route.roles === 'public' ? {} : { onRequest: requireRoles(tokens, route.roles) }),
    // The object above holds exactly the parts the route declares; the declared type names them for Fastify's type provider.
    schema: schema as unknown as ContractRouteOptions<CentralApiRoutes[K], E>['schema'],
  };
}
