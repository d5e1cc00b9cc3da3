// Prometheus metrics of one API instance (prom-client), scraped at GET /metrics: request latency by
// route, outcome batches, CTI pushes and their latency, the change log's head, connected desks,
// the desks' health reports per team, and the process's own figures. Each instance has its own
// registry: the load balancer's targets are scraped one by one, and the metrics carry no customer data.
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SqlClient } from '../db/sql-client';
import type { TeamDeskHealth } from './desk-health-board';

export interface MetricsSources {
  db: SqlClient;
  /** This instance's CLM_INSTANCE_ID, the label of clm_instance_info. */
  instanceId: string;
  connectedDesks(): number;
  /** The desks' health reports of their last two intervals, per team (POST /desks/health). */
  deskHealth(): readonly TeamDeskHealth[];
}

/** The per-team gauges of the desks' health reports: a label per team only, never per desk, user or customer. */
const DESK_HEALTH_GAUGES: ReadonlyArray<{ name: string; help: string; figure(team: TeamDeskHealth): number | null }> = [
  { name: 'clm_desk_reporting', help: 'Desks that reported their health in their last two intervals', figure: (team) => team.desks },
  {
    name: 'clm_desk_outbox_pending',
    help: 'Outcomes and customer events waiting to upload, summed over the reporting desks',
    figure: (team) => team.outboxPending,
  },
  {
    name: 'clm_desk_outbox_dead',
    help: 'Outcomes and customer events the server refused for good, summed over the reporting desks',
    figure: (team) => team.outboxDead,
  },
  {
    name: 'clm_desk_sync_lag_seconds',
    help: 'Seconds since the last successful download of the most behind reporting desk',
    figure: (team) => team.syncLagSeconds,
  },
  {
    name: 'clm_desk_screen_pop_p95_seconds',
    help: "The slowest reporting desk's 95th percentile card look-up time",
    figure: (team) => team.screenPopP95Seconds,
  },
];

/** Routes whose requests are counted on their own, besides the latency of every route. */
const OUTCOME_BATCH_ROUTE = 'POST /outcomes/batch';
const CTI_PUSH_ROUTE = 'POST /cti/calls';

export function installMetrics(app: FastifyInstance, sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'clm_api_' });

  const latency = new Histogram({
    name: 'clm_http_request_duration_seconds',
    help: 'Time from request to response, by route (its pattern, never its values) and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const outcomeBatches = new Counter({
    name: 'clm_outcome_batches_total',
    help: 'Outcome batches the desks uploaded, by status',
    labelNames: ['status_code'],
    registers: [registry],
  });
  const ctiPushes = new Counter({
    name: 'clm_cti_pushes_total',
    help: 'Call events the telephony platform pushed, by status',
    labelNames: ['status_code'],
    registers: [registry],
  });
  const ctiLatency = new Histogram({
    name: 'clm_cti_push_duration_seconds',
    help: 'Time to accept a call event and hand it to the desks (NOTIFY committed)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  new Gauge({
    name: 'clm_connected_desks',
    help: 'Desks holding a CTI stream to this instance',
    registers: [registry],
    collect() {
      this.set(sources.connectedDesks());
    },
  });
  // An info metric (always 1): dashboards join on it to name the instance behind a scrape target.
  new Gauge({ name: 'clm_instance_info', help: 'This API instance, by its CLM_INSTANCE_ID', labelNames: ['instance_id'], registers: [registry] }).set(
    { instance_id: sources.instanceId },
    1,
  );
  new Gauge({
    name: 'clm_change_log_head_seq',
    help: 'The newest change sequence number taken: a desk is behind by the difference to its cursor',
    registers: [registry],
    async collect() {
      const [row] = await sources.db.query<{ head: number | string; is_called: boolean }>('SELECT last_value AS head, is_called FROM sync_change_seq');
      this.set(row?.is_called ? Number(row.head) : 0);
    },
  });

  for (const gauge of DESK_HEALTH_GAUGES) {
    new Gauge({
      name: gauge.name,
      help: gauge.help,
      labelNames: ['team'],
      registers: [registry],
      collect() {
        // Teams whose desks all went quiet disappear rather than keep their last figures.
        this.reset();
        for (const team of sources.deskHealth()) {
          const value = gauge.figure(team);
          if (value !== null) this.set({ team: team.team }, value);
        }
      },
    });
  }

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = String(reply.statusCode);
    const seconds = reply.elapsedTime / 1000;
    latency.observe({ method: request.method, route, status_code: status }, seconds);
    const key = `${request.method} ${route}`;
    if (key === OUTCOME_BATCH_ROUTE) outcomeBatches.inc({ status_code: status });
    if (key === CTI_PUSH_ROUTE) {
      ctiPushes.inc({ status_code: status });
      if (reply.statusCode < 300) ctiLatency.observe(seconds);
    }
  });
  return registry;
}
