// The frame of the OpenAPI document served at /openapi.json: what an integrator reads before the
// operations (title, server, how to authenticate, what each tag covers) and the zod → JSON Schema
// transforms that fill in the operations from the route schemas.
import type { SwaggerOptions } from '@fastify/swagger';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { User } from '../../shared/contract/central-api';
import { ContactHistory, Customer, CustomerScore, Offer, OfferStats } from '../../shared/contract/entities';
import { EligibilityRule } from '../../shared/contract/offer-rules';
import { Outcome } from '../../shared/contract/outcomes';
import { tidyOpenApiDocument } from './openapi-tidy';

/**
 * Schemas named as components: the records integrators handle by name, written once instead of in
 * every operation. EligibilityRule must be one: a recursive schema cannot be written inline (without
 * an id zod names it "schema0" in a definitions block the transform drops, which left GET
 * /sync/changes pointing at a component that did not exist). Re-adding an id (a test process
 * building the app again) replaces the entry, so this is safe to run more than once.
 */
const COMPONENTS = { EligibilityRule, User, Customer, CustomerScore, Offer, OfferStats, ContactHistory, Outcome };
for (const [id, schema] of Object.entries(COMPONENTS)) z.globalRegistry.add(schema, { id });

/** Security requirement of the routes that take no credentials (log in, refresh, health). */
export const PUBLIC_ROUTE = [];
/** Security requirement of the telephony platform's route: the shared key, not a user token. */
export const CTI_KEY_ROUTE = [{ ctiKey: [] }];

const TAGS = [
  { name: 'auth', description: 'Log in with a username and password; renew the short-lived access token with the refresh token.' },
  { name: 'sync', description: "The desk's offline cache: a snapshot to start from, then the change feed (cursor pagination)." },
  { name: 'outcomes', description: 'Call outcomes recorded on the desks, uploaded in idempotent batches.' },
  { name: 'customer-events', description: 'Complaints and network issues reported by agents; each re-scores its customer.' },
  { name: 'outbound', description: "An agent's outbound call list." },
  { name: 'fulfilment', description: 'Orders created from accepted offers, for the fulfilment systems.' },
  { name: 'cti', description: 'Call events from the telephony platform, pushed to the agent desks.' },
  { name: 'reports', description: 'Retention and outcome reports for supervisors and administrators.' },
  { name: 'audit', description: 'Who viewed which customer card, and why.' },
  { name: 'scoring', description: 'The churn scoring bundle desks score customers with.' },
  { name: 'models', description: 'The churn model registry: versions, their training summary and status; administrators promote and roll back.' },
  { name: 'users', description: "Staff accounts: the operator's administrators create, change, disable and reset them." },
  { name: 'desks', description: 'Desk revocation: an administrator cuts a lost laptop’s desk off; a desk asks at its start whether it was.' },
  { name: 'ops', description: 'Liveness for load balancers and monitors.' },
];

const transformSettings = { schemaRegistry: z.globalRegistry };
const addComponents = createJsonSchemaTransformObject(transformSettings);

export const openApiOptions = {
  openapi: {
    openapi: '3.0.3',
    info: {
      title: 'CLM Desk central API',
      version: '1.0.0',
      description:
        'The central API the CLM Desk agent desktops sync with. Every error is an ApiError body ' +
        '({ error, message, issues? }); request bodies and query strings are strict: an unknown field is a 400 naming it.',
    },
    servers: [{ url: 'http://127.0.0.1:4310', description: 'A local server started with `npm run server` (its default port)' }],
    tags: TAGS,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The access token from POST /auth/login or POST /auth/refresh: `Authorization: Bearer <token>`.',
        },
        ctiKey: { type: 'apiKey', in: 'header', name: 'X-CTI-Key', description: "The telephony platform's shared key." },
      },
    },
    security: [{ bearerAuth: [] }],
  },
  transform: createJsonSchemaTransform(transformSettings),
  transformObject: (document) => tidyOpenApiDocument(addComponents(document)),
} satisfies SwaggerOptions;

/** A request body as the document shows it: what it carries, and an example a client may send. */
export function documentedBody<T extends z.ZodType>(schema: T, description: string, example: z.input<T>): T {
  return schema.meta({ description, examples: [example] });
}

/** A response as the document shows it: what it means, and an example of what the server sends. */
export function documentedResponse<T extends z.ZodType>(schema: T, description: string, example: z.output<T>): T {
  return schema.meta({ description, examples: [example] });
}

/** A response without a body (204, 304): no content in the document, and `reply.send()` with nothing. */
export function emptyResponse(description: string) {
  return z.undefined().meta({ description });
}
