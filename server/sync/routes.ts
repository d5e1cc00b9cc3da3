import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { WHOLE_BOOK_SCOPE, type ScopedSyncChangesResponse, type ScopedSyncSnapshotResponse } from '../../shared/contract/cache-scope';
import { authOf } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { signedInErrorResponses } from '../http/error-responses';
import * as examples from '../http/openapi-examples';
import { contractRoute } from '../http/contract-route';
import { seesIdNumbers } from '../http/id-number-masking';
import { cardRoutes } from '../cards/routes';
import type { CurrentScoringBundle } from '../scoring/scoring-bundle-store';
import { refreshScopeIfStale, scopeKeyOf } from './cache-scopes';
import { WHOLE_BOOK, emptyPageJson, readChangesPageJson, type FeedScope } from './changes-page';
import { createPollStateReader, type PollStateReader } from './poll-state';
import { readSnapshotPageJson } from './snapshot-page';

const idNumberView = (request: FastifyRequest) => (seesIdNumbers(authOf(request).user.role) ? 'full' : 'masked');

/**
 * The caller's cache scope, its members refreshed first when they are due (see cache-scopes.ts),
 * and the commit-order horizon its page may read up to (poll-state.ts; undefined: the page reads it afresh).
 */
async function feedOf(db: SqlClient, pollState: PollStateReader, request: FastifyRequest, now: Date): Promise<{ scope: FeedScope; horizon?: number }> {
  const { scope, horizon } = await pollState(authOf(request).user.id);
  if (scope === null) return { scope: WHOLE_BOOK, horizon };
  const refreshed = await refreshScopeIfStale(db, scope, now);
  // A refresh writes membership changes past the horizon just read: none given, the page reads it again, so this poll serves them.
  return { scope: { key: scopeKeyOf(scope), team: scope.team }, horizon: refreshed ? undefined : horizon };
}

/** What a desk reads of the book: its change feed and snapshot, and on a miss outside its cache scope a card (server/cards). */
export function syncRoutes(
  db: SqlClient,
  tokens: TokenService,
  currentBundle: CurrentScoringBundle,
  clock: () => Date = () => new Date(),
): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(cardRoutes(db, tokens, currentBundle, clock));
    const pollState = createPollStateReader(db);

    app.route({
      ...contractRoute('getSyncChanges', tokens, {
        tags: ['sync'],
        summary: 'Read a page of the change feed',
        description:
          'Changes to customers, scores, offers, offer statistics and contact histories after the cursor `after`, oldest first. ' +
          'Apply each change if its version is newer than the one held, then ask again with `after=nextCursor` while `hasMore`. ' +
          'Identity numbers are masked unless the role may see them. A desk whose team has a cache scope gets the changes of its ' +
          'scope only (customers entering it arrive with their rows, customers leaving it as deletes; offers for every desk); ' +
          'a desk that names another scope than its own gets an empty page naming its scope, to download afresh.',
        answer: { description: 'A page of changes and the cursor to continue from.', example: examples.syncChangesResponse },
        otherResponses: signedInErrorResponses,
      }),
      // The body is built as JSON in UTF-8 from the stored documents (see changes-page.ts); the schema stays for OpenAPI.
      // Fastify sends a Buffer or string body as-is (the charset named, as Fastify names it for a string); the cast only satisfies the schema-typed reply.
      handler: async (request, reply) => {
        const { after, limit, scope: named } = request.query;
        // A desk names its scope once it holds rows; one that names none past the start holds a cache read before
        // scopes (the whole book), and is told its scope to download rather than fed part of the book on top of it.
        const held = named ?? (after > 0 ? WHOLE_BOOK_SCOPE : undefined);
        const { scope, horizon } = await feedOf(db, pollState, request, clock());
        const body =
          held !== undefined && held !== scope.key
            ? emptyPageJson(after, scope)
            : await readChangesPageJson(db, after, limit, idNumberView(request), scope, horizon);
        return reply.type('application/json; charset=utf-8').send(body as unknown as ScopedSyncChangesResponse);
      },
    });

    app.route({
      ...contractRoute('getSyncSnapshot', tokens, {
        tags: ['sync'],
        summary: 'Read a page of one entity for an empty cache',
        description:
          'Bootstraps an empty cache: walk each entity in key order (`afterKey=nextKey` while `hasMore`), then follow the change feed ' +
          'from the safeCursor of the first page: every change up to it is already in the rows. A desk with a cache scope gets ' +
          'its scope’s customers (and every offer); each page names the scope it was read for.',
        answer: { description: 'Rows as [key, version, document as JSON text], in key order.', example: examples.syncSnapshotResponse },
        otherResponses: signedInErrorResponses,
      }),
      // Built as JSON text like the change feed, for the same reason: a new desk pulls the whole book.
      handler: async (request, reply) => {
        const { entity, afterKey, limit } = request.query;
        const { scope } = await feedOf(db, pollState, request, clock());
        const body = await readSnapshotPageJson(db, entity, afterKey, limit, idNumberView(request), scope);
        return reply.type('application/json; charset=utf-8').send(body as unknown as ScopedSyncSnapshotResponse);
      },
    });
  };
}
