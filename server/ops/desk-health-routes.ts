// POST /desks/health: each signed-in desk reports its outbox depth, sync lag and screen-pop time
// once an interval; the figures reach GET /metrics per team (desk-health-board.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DeskHealthReport } from '../../shared/contract/desk-health';
import { authOf } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import { contractRoute } from '../http/contract-route';
import { bodyErrorResponses, signedInErrorResponses } from '../http/error-responses';
import type { DeskHealthBoard } from './desk-health-board';

const exampleReport: DeskHealthReport = {
  intervalSeconds: 60,
  outboxPending: 3,
  outboxDead: 0,
  syncLagSeconds: 12.5,
  screenPopP95Seconds: 0.018,
  screenPops: 7,
};

export function deskHealthRoutes(board: DeskHealthBoard, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    app.route({
      ...contractRoute('postDeskHealth', tokens, {
        tags: ['ops'],
        summary: "Report a desk's health",
        description:
          "A desk's outbox depth, seconds since its last download and screen-pop p95 for the last interval. " +
          "Kept in memory under the caller's team and exposed at GET /metrics (clm_desk_*{team}); a desk silent for two intervals drops out.",
        body: { description: "This desk's figures; no customer data.", example: exampleReport },
        answer: { description: 'The report is counted.' },
        otherResponses: { ...signedInErrorResponses, ...bodyErrorResponses },
      }),
      handler: async (request, reply) => {
        const { user } = authOf(request);
        board.record(user.id, user.team, request.body);
        return reply.code(204).send();
      },
    });
  };
}
