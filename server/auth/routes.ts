import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LoginRequest, LoginResponse } from '../../shared/contract/central-api';
import type { SqlClient } from '../db/sql-client';
import { apiError } from '../http/api-error';
import { errorResponses } from '../http/error-responses';
import { strictDeep } from '../http/strict-schema';
import { verifyAgainstDecoy, verifyPassword } from './passwords';
import type { TokenService } from './tokens';
import { findUserForLogin } from './users';

// One message for unknown user and wrong password, so the endpoint does not reveal which usernames exist.
const LOGIN_FAILED = 'Unknown username or wrong password';

export function authRoutes(db: SqlClient, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/auth/login',
      { schema: { tags: ['auth'], body: strictDeep(LoginRequest), response: { 200: LoginResponse, ...errorResponses } } },
      async (request, reply) => {
        const { username, password } = request.body;
        const found = await findUserForLogin(db, username);
        const valid = found === null ? await verifyAgainstDecoy(password) : await verifyPassword(password, found.passwordHash);
        if (found === null || !valid) return reply.code(401).send(apiError('invalid_credentials', LOGIN_FAILED));
        const { token, expiresAt } = await tokens.issue(found.user);
        return { token, expiresAt: expiresAt.toISOString(), user: found.user };
      },
    );
  };
}
