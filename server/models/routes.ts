// The model registry for administrators (list, promote, roll back: the same as `clm model …`) and
// the models report supervisors and administrators read (GET /reports/models, in the route table
// because the desk asks for it).
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../../shared/contract/central-api';
import { ModelChangeResponse, ModelVersionList, PromoteModelRequest } from '../../shared/contract/model-registry';
import { authOf, requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { apiError } from '../http/api-error';
import { contractRoute } from '../http/contract-route';
import { bodyErrorResponses, errorResponses } from '../http/error-responses';
import { documentedBody, documentedResponse } from '../http/openapi-document';
import { strictDeep } from '../http/strict-schema';
import { modelMonitoringReport } from '../reports/model-monitoring-report';
import { listModels, ModelRegistryError, promoteModel, rollbackModel } from './model-registry';
import * as examples from './openapi-examples';

const refusal = (code: ModelRegistryError['code'], message: string, description: string) => documentedResponse(ApiError, description, { error: code, message });

const STATUS_OF: Record<ModelRegistryError['code'], 404 | 409> = {
  unknown_model: 404,
  already_registered: 409,
  no_bundle: 409,
  no_earlier_champion: 409,
  already_champion: 409,
};

const changeRefusals = {
  409: refusal(
    'no_earlier_champion',
    'there is no earlier champion to roll back to from book-gbdt-2026-12-01',
    'The change cannot be made in this state (already champion, nothing to roll back to, book never scored).',
  ),
};

export function modelRoutes(db: SqlClient, tokens: TokenService, clock: () => Date = () => new Date()): FastifyPluginAsyncZod {
  return async (app) => {
    const adminOnly = requireRoles(tokens, ['admin']);

    async function change(reply: FastifyReply, run: () => Promise<ModelChangeResponse>) {
      try {
        return await run();
      } catch (error) {
        if (!(error instanceof ModelRegistryError)) throw error;
        return reply.code(STATUS_OF[error.code]).send(apiError(error.code, error.message));
      }
    }

    app.get(
      '/models',
      {
        onRequest: requireRoles(tokens, ['supervisor', 'admin']),
        schema: {
          tags: ['models'],
          operationId: 'listModels',
          summary: 'List the registered churn model versions',
          description: 'Every registered version, newest first, with its status (champion, challenger, retired), training summary and metrics at training.',
          response: { 200: documentedResponse(ModelVersionList, 'The versions.', { versions: [examples.modelVersion] }), ...errorResponses },
        },
      },
      async () => ({ versions: await listModels(db) }),
    );

    app.post(
      '/models/promote',
      {
        onRequest: adminOnly,
        schema: {
          tags: ['models'],
          operationId: 'promoteModel',
          summary: 'Make a registered model the champion',
          description:
            'Publishes the model in the scoring bundle the desks re-score with (configurations and book calibration unchanged) and retires the champion it replaces. ' +
            'Scores already on the cards change at the next `clm score`.',
          body: documentedBody(strictDeep(PromoteModelRequest), 'The model to promote.', { modelId: 'book-gbdt-2026-12-01' }),
          response: {
            200: documentedResponse(ModelChangeResponse, 'The new champion and the bundle version published.', examples.modelChange),
            ...errorResponses,
            404: refusal('unknown_model', 'no registered model book-gbdt-2026-13-01 (clm model list shows them)', 'No model is registered under this id.'),
            ...changeRefusals,
            ...bodyErrorResponses,
          },
        },
      },
      async (request, reply) => change(reply, () => promoteModel(db, request.body.modelId, authOf(request).user.id, clock())),
    );

    app.post(
      '/models/rollback',
      {
        onRequest: adminOnly,
        schema: {
          tags: ['models'],
          operationId: 'rollbackModel',
          summary: 'Bring back the champion the current one replaced',
          description: 'Re-publishes the previous champion in the scoring bundle; rolling back again goes one promotion further back.',
          body: documentedBody(strictDeep(z.object({})), 'No fields.', {}),
          response: {
            200: documentedResponse(ModelChangeResponse, 'The champion brought back and the bundle version published.', {
              ...examples.modelChange,
              replaced: 'book-gbdt-2026-12-05',
            }),
            ...errorResponses,
            ...changeRefusals,
            ...bodyErrorResponses,
          },
        },
      },
      async (request, reply) => change(reply, () => rollbackModel(db, authOf(request).user.id, clock())),
    );

    app.route({
      ...contractRoute('getModelReport', tokens, {
        tags: ['reports'],
        summary: 'Get the report on the churn models in production',
        description:
          'The champion and challenger; the champion’s predictions measured on realised churn (within `horizonDays` after each score) by month: AUC, top-decile lift, Brier and calibration by decile, ' +
          'left out where a month has fewer than `minimumChurned` leavers or stayers; the population stability index of each feature between the training data and today’s active book, ' +
          'flagged above `driftThreshold`; and the shadow challenger’s realised AUC against the champion’s on the same customers.',
        answer: { description: 'The report.', example: examples.modelReport },
        otherResponses: errorResponses,
      }),
      handler: async (request) => modelMonitoringReport(db, request.query, clock()),
    });
  };
}
