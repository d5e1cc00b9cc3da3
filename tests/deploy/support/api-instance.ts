// A central API instance as its own process (`node --import tsx server/main.ts`, what `npm run server`
// runs), on a PostgreSQL database another step migrated and seeded: one that can be killed with -9.
import { repoRoot } from './dockerfile';
import { freePort, start, type Started } from './processes';

export interface ApiInstance {
  id: string;
  /** host:port, as a balancer's server line names it. */
  address: string;
  url: string;
  process: Started;
}

export interface ApiInstanceSettings {
  databaseUrl: string;
  instanceId: string;
  tokenSecret: string;
  ctiKey: string;
  /** More CLM_* variables (pool size, statement timeout). */
  env?: Record<string, string>;
  /** Node's own flags, e.g. --cpu-prof for a benchmark's profile. */
  nodeArgs?: string[];
}

/** --demo so the demo users' password works; the database already holds the book, so nothing is seeded again. */
export async function startApiInstance(settings: ApiInstanceSettings): Promise<ApiInstance> {
  const port = await freePort();
  const process_ = await start(
    [process.execPath, ...(settings.nodeArgs ?? []), '--import', 'tsx', 'server/main.ts', '--demo', '--host', '127.0.0.1', '--port', String(port)],
    {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: settings.databaseUrl,
        CLM_INSTANCE_ID: settings.instanceId,
        CLM_TOKEN_SECRET: settings.tokenSecret,
        CLM_CTI_KEY: settings.ctiKey,
        ...settings.env,
      },
      ready: /CLM central API listening on/,
    },
  );
  return { id: settings.instanceId, address: `127.0.0.1:${port}`, url: `http://127.0.0.1:${port}`, process: process_ };
}
