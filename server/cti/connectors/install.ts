// Puts the connectors the operator configured into the API: one hub (so every connector shares the
// duplicate filter, the agent mapping and the metrics), the HTTP connectors' routes, and the client
// connectors, stopped when the API closes. A new connector is one entry here.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { CtiConnectorSettings } from '../../config';
import type { SqlClient } from '../../db/sql-client';
import { createAgentDirectory } from './agent-directory';
import { AMAZON_CONNECT, amazonConnectRoutes } from './amazon-connect';
import { createCallEventHub, type CallEventHub } from './call-event-hub';
import { createCallTracker } from './call-tracker';
import type { ClientConnector, ConnectorContext } from './connector';
import { startGenesysConnector } from './genesys';
import { GENESYS } from './genesys-events';
import { createConnectorMetrics } from './connector-metrics';
import { FREESWITCH_CONNECTOR, startFreeswitchConnector } from './freeswitch';
import { SIP_CONNECTOR, sipConnectorRoutes } from './sip';
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
  await app.register(amazonConnectRoutes(deps.settings.amazonConnect, hub.sink(AMAZON_CONNECT)));
  await app.register(sipConnectorRoutes(deps.settings.sip, hub.sink(SIP_CONNECTOR)));

  // Client connectors connect out to their platform: started here, stopped with the API.
  const context = (connector: string): ConnectorContext => ({ sink: hub.sink(connector), directory, log: deps.log.child({ connector }) });
  const clients: ClientConnector[] = [];
  if (deps.settings.genesys !== null) clients.push(startGenesysConnector(deps.settings.genesys, context(GENESYS)));
  if (deps.settings.freeswitch !== null) clients.push(startFreeswitchConnector(deps.settings.freeswitch, context(FREESWITCH_CONNECTOR)));
  app.addHook('onClose', async () => {
    await Promise.all(clients.map((client) => client.stop()));
  });
  return hub;
}
