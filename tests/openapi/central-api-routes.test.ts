// The route table the desk's client derives its requests from is the API the server serves: each
// route is in the served document under its method, path and operationId, public exactly when the
// table says so, and answers 401 without a token when it needs one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralApiRoutes } from '../../shared/contract/central-api-routes';
import type { CentralApi } from '../../server/app';
import { startTestApi } from '../server/support/test-api';

interface Operation {
  operationId?: string;
  security?: unknown[];
}

let api: CentralApi;
let paths: Record<string, Record<string, Operation>>;
beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 0 });
  paths = (await api.app.inject({ method: 'GET', url: '/openapi.json' })).json().paths;
});
afterAll(() => api?.close());

describe('the central API route table', () => {
  it.each(Object.entries(centralApiRoutes))('%s is served as the table defines it', async (operationId, route) => {
    // The table writes path parameters as Fastify does (`:phone`), the document as OpenAPI does (`{phone}`).
    const operation = paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
    expect(operation?.operationId).toBe(operationId);
    expect(operation?.security).toEqual(route.roles === 'public' ? [] : undefined);
    if (route.roles !== 'public') {
      const answer = await api.app.inject({ method: route.method, url: route.path });
      expect(answer.statusCode).toBe(401);
    }
  });
});
