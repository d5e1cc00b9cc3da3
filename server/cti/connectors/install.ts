// Puts the connectors the operator configured into the API: one hub (so every connector shares the
// duplicate filter, the agent mapping and the metrics), the HTTP connectors' routes, and the client
// connectors, stopped when the API closes. A new connector is one entry here.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { CtiConnectorSettings } from '../../config';
import type { SqlClient } from '../../db/sql-client';
import { createAgentDirectory } from './agent-directory';
import { createCallEventHub, type CallEventHub } from './call-event-hub';
import { createCallTracker } from './call-tracker';
import type { ClientConnector } from './connector';
import { createConnectorMetrics } from './connector-metrics';
import { signedWebhookRoutes } from './webhook';

export interface CtiConnectorDeps {
  db: SqlClient;
  log: FastifyBaseLogger;
  /** The instance's Prometheus registry (GET /metrics). */
  registry: Registry;
  settings: CtiConnectorSettings;
}

/** Registers the connectors on `app` and returns the hub the walking skeleton's POST /cti/calls also delivers to. */
export async function installCtiConnectors(app: FastifyInstance, deps: CtiConnectorDeps): Promise<CallEventHub> {
  const directory = createAgentDirectory(deps.db);
  const hub = createCallEventHub({ db: deps.db, log: deps.log, directory, tracker: createCallTracker(), metrics: createConnectorMetrics(deps.registry) });

  await app.register(signedWebhookRoutes(deps.settings.webhook, hub.sink('webhook')));

  // Client connectors (they connect out to their platform) are started here and stopped with the API:
  // clients.push(startXConnector(settings.x, { sink: hub.sink('x'), directory, log: deps.log.child({ connector: 'x' }) })).
  const clients: ClientConnector[] = [];
  app.addHook('onClose', async () => {
    await Promise.all(clients.map((client) => client.stop()));
  });
  return hub;
}
