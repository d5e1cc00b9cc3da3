// Liveness and readiness for load balancers and orchestrators. Live: the process answers. Ready:
// the database answers and holds exactly the migrations this build knows, so a balancer sends no
// traffic to an instance that lost its database or runs against an older or newer schema.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { SqlClient } from '../db/sql-client';
import { MIGRATIONS } from '../db/migrations';
import { documentedResponse, PUBLIC_ROUTE } from '../http/openapi-document';

const EXPECTED_MIGRATION = MIGRATIONS.at(-1)?.version ?? 0;

export const HealthResponse = z.object({ ok: z.literal(true) });
export const ReadinessResponse = z.object({
  ok: z.boolean(),
  database: z.enum(['ok', 'unreachable']),
  /** The newest migration the database holds; null when it cannot be read. */
  migration: z.number().int().nullable(),
  expectedMigration: z.number().int(),
  /** Which instance behind the load balancer answered (CLM_INSTANCE_ID). */
  instance: z.string(),
});
export type ReadinessResponse = z.infer<typeof ReadinessResponse>;

async function readiness(db: SqlClient, instance: string): Promise<ReadinessResponse> {
  try {
    const [row] = await db.query<{ version: number | null }>('SELECT max(version)::int AS version FROM schema_migrations');
    const migration = row?.version ?? null;
    return { ok: migration === EXPECTED_MIGRATION, database: 'ok', migration, expectedMigration: EXPECTED_MIGRATION, instance };
  } catch {
    return { ok: false, database: 'unreachable', migration: null, expectedMigration: EXPECTED_MIGRATION, instance };
  }
}

export function healthRoutes(db: SqlClient, metrics: Registry, instanceId: string): FastifyPluginAsyncZod {
  return async (app) => {
    const live = {
      schema: {
        tags: ['ops'],
        summary: 'Check that the process is up',
        description: 'Liveness: answers while the process runs, whatever its database does (restart the instance when it stops answering).',
        security: PUBLIC_ROUTE,
        response: { 200: documentedResponse(HealthResponse, 'The process is up.', { ok: true }) },
      },
    };
    app.get(
      '/health',
      { ...live, schema: { ...live.schema, operationId: 'getHealth', description: `${live.schema.description} Same as /health/live.` } },
      async () => ({
        ok: true as const,
      }),
    );
    app.get('/health/live', { ...live, schema: { ...live.schema, operationId: 'getLiveness' } }, async () => ({ ok: true as const }));

    const example: ReadinessResponse = { ok: true, database: 'ok', migration: EXPECTED_MIGRATION, expectedMigration: EXPECTED_MIGRATION, instance: 'api1' };
    app.get(
      '/health/ready',
      {
        schema: {
          tags: ['ops'],
          operationId: 'getReadiness',
          summary: 'Check that the instance can serve',
          description:
            'Readiness: the database answers and holds the migration level this build expects. 503 otherwise; take the instance out of the balancer.',
          security: PUBLIC_ROUTE,
          response: {
            200: documentedResponse(ReadinessResponse, 'Ready to serve.', example),
            503: documentedResponse(ReadinessResponse, 'Not ready: the database is unreachable or at another migration level.', {
              ...example,
              ok: false,
              database: 'unreachable',
              migration: null,
            }),
          },
        },
      },
      async (_request, reply) => {
        const state = await readiness(db, instanceId);
        return reply.code(state.ok ? 200 : 503).send(state);
      },
    );

    app.get(
      '/metrics',
      {
        schema: {
          tags: ['ops'],
          operationId: 'getMetrics',
          summary: 'Prometheus metrics of this instance',
          description:
            'Request latency by route, outcome batches, CTI pushes and their latency, the change sequence head, connected desks, process figures; ' +
            'text exposition format. No customer data; restrict it to the monitoring network at the load balancer.',
          security: PUBLIC_ROUTE,
          produces: ['text/plain'],
          response: { 200: documentedResponse(z.string(), 'The metrics in Prometheus text format.', '# HELP clm_connected_desks …\nclm_connected_desks 42\n') },
        },
      },
      async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metrics()),
    );
  };
}
