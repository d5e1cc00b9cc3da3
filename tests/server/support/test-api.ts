// Shared set-up for the central API tests: an app on a small seeded book, logins, outcome items.
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { ApiError, LoginResponse } from '../../../shared/contract/central-api';
import { createCentralApi, type CentralApi, type CentralApiOptions } from '../../../server/app';
import { DEMO_PASSWORD } from '../../../server/seed/demo-users';
import { testClock } from '../../support/test-clock';
import { openDemoPglite } from '../../support/test-pglite';
export { outcomeItem } from '../../support/outcome-item';

export const TEST_TOKEN_SECRET = 'test-token-secret';
export const TEST_CTI_KEY = 'test-cti-key';
export const TEST_CUSTOMERS = 200;

/**
 * A demo-mode central API on its own database. On the embedded PGlite it starts from a copy of a
 * database seeded once per run (tests/support/test-pglite.ts); createCentralApi then finds it
 * migrated and seeded, and publishes the catalogue as on any start. Its clock is the tests' fixed instant
 * (tests/support/test-clock.ts), so its reports and seed say the same whatever the real date.
 */
export async function startTestApi(options: CentralApiOptions = {}): Promise<CentralApi> {
  const settings = { demo: true, seedCustomers: TEST_CUSTOMERS, tokenSecret: TEST_TOKEN_SECRET, ctiKey: TEST_CTI_KEY, clock: testClock, ...options };
  if (settings.db !== undefined || settings.databaseUrl !== undefined || settings.dataDir !== undefined || !settings.demo) return createCentralApi(settings);
  const seeded = await openDemoPglite(settings.seedCustomers);
  try {
    const api = await createCentralApi({ ...settings, db: { client: seeded.db, driver: 'pglite' } });
    return {
      ...api,
      async close() {
        await api.close();
        await seeded.dispose();
      },
    };
  } catch (error) {
    await seeded.dispose();
    throw error;
  }
}

export async function login(app: FastifyInstance, username: string, password = DEMO_PASSWORD): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/auth/login', payload: { username, password } });
  expect(response.statusCode, response.body).toBe(200);
  return LoginResponse.parse(response.json()).token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Asserts an ApiError body with the given status, and returns it for further checks. */
export function expectApiError(response: { statusCode: number; body: string; json(): unknown }, status: number): ApiError {
  expect(response.statusCode, response.body).toBe(status);
  return ApiError.parse(response.json());
}
