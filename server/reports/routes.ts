import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { OutcomeReport, ReportQuery } from '../../shared/contract/supervisor-reports';
import { authOf } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { apiError } from '../http/api-error';
import { contractRoute } from '../http/contract-route';
import { errorResponses } from '../http/error-responses';
import * as examples from '../http/openapi-examples';
import { outcomeReportJson } from './outcome-report';
import { reportPeriod, type ReportPeriod } from './report-period';
import { resolveReportSettings, type ReportSettings } from './report-settings';
import { retentionReport } from './retention-report';
import { resolveTeamScope } from './team-scope';

export function reportRoutes(
  db: SqlClient,
  tokens: TokenService,
  clock: () => Date = () => new Date(),
  settings: ReportSettings = resolveReportSettings(),
): FastifyPluginAsyncZod {
  /** The period and team a request may see, or null once it has been refused (400 / 403 sent). */
  async function scopeOf(request: FastifyRequest, reply: FastifyReply, query: ReportQuery): Promise<{ period: ReportPeriod; team: string | null } | null> {
    const period = reportPeriod(query);
    if ('refused' in period) {
      await reply.code(400).send(apiError('invalid_query', `Invalid query string: ${period.refused}`));
      return null;
    }
    const scope = await resolveTeamScope(db, authOf(request).user, query.team);
    if ('refused' in scope) {
      await reply.code(403).send(apiError('forbidden', scope.refused));
      return null;
    }
    return { period, team: scope.team };
  }

  return async (app) => {
    app.route({
      ...contractRoute('getRetentionReport', tokens, {
        tags: ['reports'],
        summary: 'Get the retention report of a period',
        description:
          'KPIs, a daily trend, the uplift of contacting warned customers and the offer experiments, for the days from `from` to `to` ' +
          "(both included). A supervisor sees their own team; `team` narrows an administrator's view.",
        answer: { description: 'The report.', example: examples.retentionReport },
        otherResponses: errorResponses,
      }),
      handler: async (request, reply) => {
        const scope = await scopeOf(request, reply, request.query);
        if (scope === null) return reply;
        return retentionReport(db, { ...scope, expectedMonthsKept: settings.expectedMonthsKept, now: clock() });
      },
    });

    app.route({
      ...contractRoute('getOutcomeReport', tokens, {
        tags: ['reports'],
        summary: 'Get the outcomes of a period',
        description:
          'One row per outcome recorded from `from` to `to` (both included), newest first, `limit` rows a page (default 10,000, at most 50,000); ' +
          'the next page is asked with `after` set to the `nextCursor` of this one, null on the last page. Phone numbers masked.',
        answer: { description: 'The rows and the names of the offers they mention.', example: examples.outcomeReport },
        otherResponses: errorResponses,
      }),
      // The body is built as JSON text in SQL (see outcome-report.ts), like the sync feed; the schema stays for OpenAPI.
      // Fastify sends a string body as-is; the cast only satisfies the schema-typed reply.
      handler: async (request, reply) => {
        const scope = await scopeOf(request, reply, request.query);
        if (scope === null) return reply;
        const { limit, after } = request.query;
        const body = await outcomeReportJson(db, {
          ...scope,
          expectedMonthsKept: settings.expectedMonthsKept,
          now: clock(),
          limit,
          ...(after === undefined ? {} : { after }),
        });
        return reply.type('application/json').send(body as unknown as OutcomeReport);
      },
    });
  };
}
