// The operator's identity provider for the OpenID Connect tests: a real OpenID provider
// (oidc-provider) on a random loopback port, with a confidential client for CLM, PKCE required,
// a `groups` claim, refresh tokens, and its development login form, which the test fills in like a
// person would. `people` is read at every request: a test changes it as the operator would.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import Provider from 'oidc-provider';
import type { z } from 'zod';
import type { GroupRule } from '../../../server/auth/directory/directory-config';
import { TEST_TOKEN_KEY } from './token-keys';

export interface IdpPerson {
  name: string;
  groups: string[];
}

export interface OperatorIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * `issuerHost`: the name the IdP is reached by (it listens on 127.0.0.1 either way); 'localhost' makes it
 * another site than a desk on 127.0.0.1, as an operator's IdP is, so a browser treats the way back as cross-site.
 */
export async function startOperatorIdp(people: Record<string, IdpPerson>, redirectUri: string, issuerHost = '127.0.0.1'): Promise<OperatorIdp> {
  let handler: Handler = (_request, response) => response.writeHead(503).end();
  const server = createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://${issuerHost}:${(server.address() as { port: number }).port}`;
  const clientId = 'clm-central-api';
  const clientSecret = 'idp-client-secret-for-the-tests';

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    // CLM asks again at each of its own refreshes, so it gets a refresh token without asking for offline access.
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], groups: ['groups'] },
    cookies: { keys: ['operator-idp-test-cookie-key'] },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx: unknown, sub: string) {
      const person = people[sub];
      if (person === undefined) return undefined;
      return { accountId: sub, claims: async () => ({ sub, preferred_username: sub, name: person.name, groups: person.groups }) };
    },
    // CLM is the operator's own application: its people are not asked to consent.
    async loadExistingGrant(ctx: { oidc: { provider: { Grant: new (init: object) => Grant }; client: { clientId: string }; session: { accountId: string } } }) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile groups');
      await grant.save();
      return grant;
    },
  });
  handler = provider.callback();

  return {
    issuer,
    clientId,
    clientSecret,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Grant {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}

/** The `oidc` part of CLM_DIRECTORY_CONFIG for this IdP, its groups mapped by `groups`. */
export function oidcConfigFor(idp: OperatorIdp, redirectUri: string, groups: z.input<typeof GroupRule>[]) {
  return { oidc: { issuer: idp.issuer, clientId: idp.clientId, redirectUri, scopes: ['openid', 'profile', 'groups'], groups, allowInsecureHttp: true } };
}

/** The secrets the central API reads from its environment to use this IdP. */
export const oidcSecretsFor = (idp: OperatorIdp) => ({ CLM_OIDC_CLIENT_SECRET: idp.clientSecret, CLM_TOKEN_KEY: TEST_TOKEN_KEY });

/** Free loopback ports, all different: the central API's address (its callback) must be known before the IdP starts. */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  // Held open together, so the system cannot hand out one port twice.
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createTcpServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return server;
    }),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
