// Staff administration for the operator's administrators: the same operations as `clm users`.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError } from '../../shared/contract/central-api';
import { CreateUserRequest, ResetPasswordRequest, UpdateUserRequest, UserAccount, UserList, UsernameParams } from '../../shared/contract/users';
import { requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { apiError } from '../http/api-error';
import { bodyErrorResponses, errorResponses } from '../http/error-responses';
import { documentedBody, documentedResponse } from '../http/openapi-document';
import { strictDeep } from '../http/strict-schema';
import { createUser, listUsers, resetPassword, updateUser, UserAdminError } from './user-accounts';

const exampleAccount: UserAccount = {
  id: 'agent17',
  username: 'agent17',
  role: 'agent',
  displayName: '周杰 (agent17)',
  team: 'T2',
  externalId: 'genesys:5f2c1a9e-0b7d-4c1e-9a55-2f0b8c3d4e61',
  disabled: false,
  createdAt: '2026-12-07T09:00:00.000Z',
};
const exampleCreate = {
  username: 'agent17',
  role: 'agent' as const,
  displayName: '周杰 (agent17)',
  team: 'T2',
  externalId: 'genesys:5f2c1a9e-0b7d-4c1e-9a55-2f0b8c3d4e61',
  password: 'Spring-Shift-2027',
};

const refusal = (code: UserAdminError['code'], message: string, description: string) => documentedResponse(ApiError, description, { error: code, message });

/** The account store's refusals are the caller's to fix; anything else is ours (500). */
function refusedBy(error: unknown): UserAdminError {
  if (error instanceof UserAdminError) return error;
  throw error;
}

export function userRoutes(db: SqlClient, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    const adminOnly = requireRoles(tokens, ['admin']);
    app.get(
      '/users',
      {
        onRequest: adminOnly,
        schema: {
          tags: ['users'],
          operationId: 'listUsers',
          summary: 'List staff accounts',
          description: 'Every account with its role, team, external id (the contact-center platform agent id) and whether it is disabled.',
          response: { 200: documentedResponse(UserList, 'The accounts, by username.', { users: [exampleAccount] }), ...errorResponses },
        },
      },
      async () => ({ users: await listUsers(db) }),
    );

    app.post(
      '/users',
      {
        onRequest: adminOnly,
        schema: {
          tags: ['users'],
          operationId: 'createUser',
          summary: 'Create a staff account',
          description:
            'Passwords need at least 12 characters and three of: lower case, upper case, digits, other; they may not contain the username or a published demo password.',
          body: documentedBody(strictDeep(CreateUserRequest), 'The new account.', exampleCreate),
          response: {
            201: documentedResponse(UserAccount, 'Created.', exampleAccount),
            ...errorResponses,
            409: refusal('username_taken', "The username 'agent17' is taken", 'The username or the external id already belongs to an account.'),
            422: refusal('weak_password', 'The password does not meet the policy: at least 12 characters', 'The password does not meet the policy.'),
            ...bodyErrorResponses,
          },
        },
      },
      async (request, reply) => {
        try {
          return reply.code(201).send(await createUser(db, request.body));
        } catch (error) {
          const refused = refusedBy(error);
          return reply.code(refused.code === 'weak_password' ? 422 : 409).send(apiError(refused.code, refused.message));
        }
      },
    );

    app.patch(
      '/users/:username',
      {
        onRequest: adminOnly,
        schema: {
          tags: ['users'],
          operationId: 'updateUser',
          summary: 'Change, disable or enable a staff account',
          description:
            'Only the fields given change. Disabling ends the account’s sessions at once (its refresh tokens are revoked; an access token already issued expires within 15 minutes). Role and team changes take effect at the next token refresh.',
          params: UsernameParams,
          body: documentedBody(strictDeep(UpdateUserRequest), 'The fields to change.', { team: 'T1', disabled: false }),
          response: {
            200: documentedResponse(UserAccount, 'The account as it is now.', exampleAccount),
            ...errorResponses,
            404: refusal('unknown_user', "No user 'agent17'", 'No account has this username.'),
            409: refusal(
              'external_id_taken',
              "The external id 'genesys:…' already belongs to another user",
              'The external id already belongs to another account.',
            ),
            ...bodyErrorResponses,
          },
        },
      },
      async (request, reply) => {
        try {
          return await updateUser(db, request.params.username, request.body);
        } catch (error) {
          const refused = refusedBy(error);
          return reply.code(refused.code === 'unknown_user' ? 404 : 409).send(apiError(refused.code, refused.message));
        }
      },
    );

    app.post(
      '/users/:username/password',
      {
        onRequest: adminOnly,
        schema: {
          tags: ['users'],
          operationId: 'resetUserPassword',
          summary: 'Reset a staff account’s password',
          description: 'Sets a new password that meets the policy and ends the account’s sessions.',
          params: UsernameParams,
          body: documentedBody(strictDeep(ResetPasswordRequest), 'The new password.', { password: 'Autumn-Shift-2027' }),
          response: {
            200: documentedResponse(UserAccount, 'The account.', exampleAccount),
            ...errorResponses,
            404: refusal('unknown_user', "No user 'agent17'", 'No account has this username.'),
            422: refusal('weak_password', 'The password does not meet the policy: at least 12 characters', 'The password does not meet the policy.'),
            ...bodyErrorResponses,
          },
        },
      },
      async (request, reply) => {
        try {
          return await resetPassword(db, request.params.username, request.body.password);
        } catch (error) {
          const refused = refusedBy(error);
          return reply.code(refused.code === 'unknown_user' ? 404 : 422).send(apiError(refused.code, refused.message));
        }
      },
    );
  };
}
