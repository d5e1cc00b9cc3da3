import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { SyncChangesResponse, SyncSnapshotResponse } from '../../shared/contract/central-api';
import { authOf } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { signedInErrorResponses } from '../http/error-responses';
import * as examples from '../http/openapi-examples';
import { contractRoute } from '../http/contract-route';
import { seesIdNumbers } from '../http/id-number-masking';
import { readChangesPageJson } from './changes-page';
import { readSnapshotPageJson } from './snapshot-page';

const idNumberView = (request: FastifyRequest) => (seesIdNumbers(authOf(request).user.role) ? 'full' : 'masked');

export function syncRoutes(db: SqlClient, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    app.route({
      ...contractRoute('getSyncChanges', tokens, {
        tags: ['sync'],
        summary: 'Read a page of the change feed',
        description:
          'Changes to customers, scores, offers, offer statistics and contact histories after the cursor `after`, oldest first. ' +
          'Apply each change if its version is newer than the one held, then ask again with `after=nextCursor` while `hasMore`. ' +
          'Identity numbers are masked unless the role may see them.',
        answer: { description: 'A page of changes and the cursor to continue from.', example: examples.syncChangesResponse },
        otherResponses: signedInErrorResponses,
      }),
      // The body is built as JSON text from the stored documents (see changes-page.ts); the schema stays for OpenAPI.
      // Fastify sends a string body as-is; the cast only satisfies the schema-typed reply.
      handler: async (request, reply) => {
        const body = await readChangesPageJson(db, request.query.after, request.query.limit, idNumberView(request));
        return reply.type('application/json').send(body as unknown as SyncChangesResponse);
      },
    });

    app.route({
      ...contractRoute('getSyncSnapshot', tokens, {
        tags: ['sync'],
        summary: 'Read a page of one entity for an empty cache',
        description:
          'Bootstraps an empty cache: walk each entity in key order (`afterKey=nextKey` while `hasMore`), then follow the change feed ' +
          'from the safeCursor of the first page: every change up to it is already in the rows.',
        answer: { description: 'Rows as [key, version, document as JSON text], in key order.', example: examples.syncSnapshotResponse },
        otherResponses: signedInErrorResponses,
      }),
      // Built as JSON text like the change feed, for the same reason: a new desk pulls the whole book.
      handler: async (request, reply) => {
        const { entity, afterKey, limit } = request.query;
        const body = await readSnapshotPageJson(db, entity, afterKey, limit, idNumberView(request));
        return reply.type('application/json').send(body as unknown as SyncSnapshotResponse);
      },
    });
  };
}
