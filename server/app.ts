// Assembles the central API: database (migrated and seeded), HTTP routes, CTI fan-out.
// Does not listen; main.ts and the tests decide how to serve it.
import Fastify, { type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { createLoginThrottle } from './auth/login-throttle';
import { createRefreshTokenStore } from './auth/refresh-tokens';
import { authRoutes } from './auth/routes';
import { createTokenService } from './auth/tokens';
import { loadDirectoryConfig, type DirectorySettings } from './auth/directory/directory-config';
import { createDirectorySignIn } from './auth/directory/directory-sign-in';
import { oidcRoutes } from './auth/oidc-routes';
import { createSessionStarter } from './auth/session-start';
import { DEFAULT_CATALOG_DIR, loadOfferCatalog } from './catalog/load-catalog';
import { publishCatalog } from './catalog/publish-catalog';
import {
  resolveContactHours,
  resolveCtiConnectorSettings,
  resolveInstanceSettings,
  resolveSecuritySettings,
  type CtiConnectorOptions,
  type InstanceOptions,
  type SecurityOptions,
} from './config';
import { auditRoutes } from './audit/routes';
import { startAgentSockets } from './cti/agent-sockets';
import { installCtiConnectors } from './cti/connectors/install';
import { ctiRoutes, selectSubprotocol } from './cti/routes';
import { customerEventRoutes } from './events/routes';
import { withDeskRevocation } from './desks/desk-bound-tokens';
import { createDeskRegistry } from './desks/desk-registry';
import { deskRoutes } from './desks/routes';
import { runMigrations } from './db/migrate';
import { ensureMonthPartitions, scheduleMonthPartitions } from './db/partition-maintenance';
import { openSqlClient } from './db/open-sql-client';
import type { SqlClient, SqlDriverName } from './db/sql-client';
import { installErrorHandling } from './http/error-handling';
import { redactingLoggerOptions, type LogDestination } from './http/log-redaction';
import { openApiOptions } from './http/openapi-document';
import { fulfilmentRoutes } from './fulfilment/routes';
import { userRoutes } from './users/routes';
import { outboundRoutes } from './outbound/routes';
import { healthRoutes } from './ops/health-routes';
import { installMetrics } from './ops/metrics';
import { createDeskHealthBoard } from './ops/desk-health-board';
import { deskHealthRoutes } from './ops/desk-health-routes';
import type { ContactHours } from '../shared/domain/contact-hours';
import { outcomeRoutes } from './outcomes/routes';
import { reportRoutes } from './reports/routes';
import { modelRoutes } from './models/routes';
import { scoringRoutes } from './scoring/routes';
import { createScoringBundleCache } from './scoring/scoring-bundle-store';
import { seedDemoData } from './seed/seed-database';
import { registerPublishedChampion } from './models/published-champion';
import { syncRoutes } from './sync/routes';

export interface CentralApiOptions extends SecurityOptions, InstanceOptions {
  /**
   * An open database to serve instead of opening one (tests restart the API on the same
   * database). The caller owns it: close() leaves it open.
   */
  db?: { client: SqlClient; driver: SqlDriverName };
  /** PostgreSQL connection string; without it the embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory; omit for an in-memory database. */
  dataDir?: string;
  /**
   * Folder of the offer catalogue files published on start. Without one, demo mode publishes the sample catalogue
   * shipped in server/catalog/offers and production mode publishes nothing (offers published before stay as they are).
   */
  catalogDir?: string;
  /**
   * Demo mode: an empty database gets the demo accounts and book, and the demo password works.
   * Without it (production) nothing is seeded and the demo password is refused.
   */
  demo?: boolean;
  /** When customers may be called (default: CLM_CONTACT_HOURS, else 08:00–21:00 China time). */
  contactHours?: ContactHours;
  /** Demo mode only: demo customers to seed into an empty database (default 20,000; 0 seeds none). */
  seedCustomers?: number;
  /** true logs every request; otherwise only errors are logged. Secrets and personal numbers are masked either way. */
  logger?: boolean;
  /** Where log lines go (default stdout); tests capture them. */
  logDestination?: LogDestination;
  /** The operator's directory (LDAP, OpenID Connect); default: the file CLM_DIRECTORY_CONFIG names, else local passwords only. */
  directory?: DirectorySettings;
  /** The CTI connectors (signed webhook keys, Amazon Connect, Genesys Cloud); default: the CLM_CTI_*, CLM_CONNECT_*, CLM_GENESYS_* variables. */
  cti?: CtiConnectorOptions;
  /** What "now" is where the server decides today (the reports' period end, the demo seed's scoring date); default the real clock. */
  clock?: () => Date;
}

export interface RouteSummary {
  method: string;
  url: string;
}

export interface CentralApi {
  app: FastifyInstance;
  db: SqlClient;
  driver: SqlDriverName;
  /** Every route registered, as Fastify saw it (HEAD routes included): lets tests cover new routes automatically. */
  routes: readonly RouteSummary[];
  close(): Promise<void>;
}

export async function createCentralApi(options: CentralApiOptions = {}): Promise<CentralApi> {
  const settings = resolveSecuritySettings(options);
  const contactHours = resolveContactHours(options.contactHours);
  const directorySettings = options.directory ?? loadDirectoryConfig();
  const ctiSettings = resolveCtiConnectorSettings(options.cti);
  const instance = resolveInstanceSettings(options);
  const clock = options.clock ?? (() => new Date());
  // A broken catalogue refuses the start before the database is touched. The shipped one is sample offers: demo data.
  const catalogDir = options.catalogDir ?? (options.demo === true ? DEFAULT_CATALOG_DIR : undefined);
  const catalog = catalogDir === undefined ? null : loadOfferCatalog(catalogDir);
  const ownsDb = options.db === undefined;
  const { db, driver } =
    options.db === undefined ? await openSqlClient({ ...options, pool: instance.database }) : { db: options.db.client, driver: options.db.driver };
  const closeOwnDb = () => (ownsDb ? db.close() : Promise.resolve());
  try {
    await runMigrations(db);
    if (options.demo === true) await seedDemoData(db, { now: clock(), ...(options.seedCustomers === undefined ? {} : { customers: options.seedCustomers }) });
    // An install upgraded from before the model registry gets its published model as champion (server/models/published-champion.ts).
    await registerPublishedChampion(db, clock());
    if (catalog !== null) await publishCatalog(db, catalog.offers);
    await ensureMonthPartitions(db, clock());

    const app = Fastify({
      logger: redactingLoggerOptions(options.logger === true, options.logDestination),
      trustProxy: settings.trustProxy,
    });
    const routes: RouteSummary[] = [];
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) routes.push({ method, url: route.url });
    });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installErrorHandling(app);
    // The API speaks JSON only; a text body is answered 415 rather than fed to the JSON schemas.
    app.removeContentTypeParser('text/plain');

    await app.register(fastifySwagger, openApiOptions);
    // The document as integrators read it and try it out: /docs (the same document as /openapi.json).
    await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
    await app.register(fastifyWebsocket, { options: { handleProtocols: selectSubprotocol, maxPayload: 64 * 1024 } });

    const desks = createDeskRegistry(db);
    const tokens = withDeskRevocation(createTokenService(settings.tokenSecret, settings.accessTokenTtlMinutes, options.accessTokenClock), desks);
    const directory = createDirectorySignIn(db, directorySettings);
    const unsealable = await directory.sealStoredTokens();
    if (unsealable !== null) app.log.warn(unsealable);
    const sockets = await startAgentSockets(db, app.log);
    app.addHook('onClose', () => sockets.stop());
    const stopPartitionMaintenance = scheduleMonthPartitions(db, clock, app.log);
    app.addHook('onClose', async () => stopPartitionMaintenance());

    const api = app.withTypeProvider<ZodTypeProvider>();
    const deskHealth = createDeskHealthBoard();
    const metrics = installMetrics(app, {
      db,
      instanceId: instance.instanceId,
      connectedDesks: () => sockets.connectedDesks(),
      deskHealth: () => deskHealth.byTeam(),
    });
    await api.register(healthRoutes(db, metrics, instance.instanceId));
    api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    await api.register(
      authRoutes({
        db,
        tokens,
        refreshTokens: createRefreshTokenStore(db),
        throttle: createLoginThrottle(db, settings.loginRateLimit),
        sessionMinutes: settings.tokenTtlMinutes,
        demoPasswordsAllowed: options.demo === true,
        contactHours,
        directory,
      }),
    );
    await api.register(
      oidcRoutes({
        db,
        oidcSettings: directorySettings.oidc,
        directory,
        sessions: createSessionStarter(tokens, createRefreshTokenStore(db), settings.tokenTtlMinutes, contactHours),
      }),
    );
    // One parsed bundle for the server cards and the customer-event fold: each bundle version is parsed once.
    const currentBundle = createScoringBundleCache();
    await api.register(syncRoutes(db, tokens, currentBundle, clock));
    await api.register(outcomeRoutes(db, tokens));
    await api.register(outboundRoutes(db, tokens, currentBundle));
    await api.register(fulfilmentRoutes(db, tokens));
    await api.register(userRoutes(db, tokens));
    const ctiHub = await installCtiConnectors(app, { db, log: app.log, registry: metrics, settings: ctiSettings });
    await api.register(ctiRoutes(tokens, settings.ctiKey, sockets, ctiHub.sink('webhook')));
    await api.register(reportRoutes(db, tokens, clock));
    await api.register(modelRoutes(db, tokens, clock));
    await api.register(auditRoutes(db, tokens));
    await api.register(scoringRoutes(db, tokens));
    await api.register(customerEventRoutes(db, tokens, currentBundle));
    await api.register(deskHealthRoutes(deskHealth, tokens));
    await api.register(deskRoutes(desks, tokens));
    await app.ready();

    return {
      app,
      db,
      driver,
      routes,
      async close() {
        await app.close();
        await closeOwnDb();
      },
    };
  } catch (error) {
    await closeOwnDb().catch(() => undefined);
    throw error;
  }
}
