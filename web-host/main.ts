// `npm run start:web` host: one desk backend per signed-in user + the browser-mode shell, on loopback.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDeskBackend } from '../desk-backend/opening-desk-backend';
import { loadOrCreateKeyFile } from '../desk-backend/hosting/cache-key-file';
import { DEFAULT_WEB_PORT, resolveDeskConfig } from '../desk-backend/hosting/desk-config';
import { createCompanySignInHost } from './company-sign-in';
import { deskOpener, usersWithCaches } from './desk-directories';
import { createUserDesks, DEFAULT_DESK_IDLE_MS } from './user-desks';
import { createWebHost } from './web-host';

const DEFAULT_MAX_DESKS = 8;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.CLM_WEB_PORT ?? String(DEFAULT_WEB_PORT) },
    'data-dir': { type: 'string', default: path.resolve('.data/desk-web') },
    'max-desks': { type: 'string', default: String(DEFAULT_MAX_DESKS) },
    'idle-minutes': { type: 'string', default: String(DEFAULT_DESK_IDLE_MS / 60_000) },
  },
});

const maxDesks = Number(values['max-desks']);
if (!Number.isInteger(maxDesks) || maxDesks < 1) {
  console.error(`--max-desks must be a whole number of at least 1 (the most users signed in at once), not '${values['max-desks']}'`);
  process.exit(2);
}
const idleMinutes = Number(values['idle-minutes']);
// A week at most: Node's timers fire at once beyond about 24.8 days, which would close every desk on its first idle moment.
const MAX_IDLE_MINUTES = 7 * 24 * 60;
if (!Number.isFinite(idleMinutes) || idleMinutes <= 0 || idleMinutes > MAX_IDLE_MINUTES) {
  console.error(
    `--idle-minutes must be a number of minutes above 0 and at most ${MAX_IDLE_MINUTES} (how long a desk no browser uses stays open), not '${values['idle-minutes']}'`,
  );
  process.exit(2);
}
const config = resolveDeskConfig(process.env, values['data-dir']);
// The desks live in folders under the data dir that holds the one cache file an earlier host kept (desk-directories.ts).
const dataDir = path.dirname(config.cachePath);
// Every desk's cache is encrypted with one key kept in an owner-only file in the data dir: NOT
// keychain protected (browser mode is the development and demo host; README "Personal data").
const cacheKeyFile = path.join(dataDir, 'desk-caches.key');
const cacheKey = loadOrCreateKeyFile(cacheKeyFile, (message) => console.warn(message));
const desks = createUserDesks({
  maxDesks,
  idleMs: idleMinutes * 60_000,
  // A foreign, corrupt or newer cache file, or one this key does not open, is refused at that user's login, and left untouched.
  // A plain cache of an earlier host is encrypted on a worker thread first: the host answers the other desks meanwhile.
  opener: deskOpener(dataDir, (cachePath) => openDeskBackend({ cachePath, apiUrl: config.apiUrl, cacheKey })),
});
const host = await createWebHost({ desks, rendererDir: path.resolve('dist/renderer'), companySignIn: createCompanySignInHost({ apiUrl: config.apiUrl }) });
const address = await host.listen({ host: '127.0.0.1', port: Number(values.port) });
console.log(
  `CLM Desk (browser mode) on ${address}  [central API ${config.apiUrl}, desks of up to ${maxDesks} users, closed after ${idleMinutes} min unused, under ${path.join(dataDir, 'desks')}; caches encrypted with the key in ${cacheKeyFile}, an owner-only file, not the OS keychain]`,
);

// As the Electron shell opens its desk at start: the users who have a cache here find it open and checked at login.
void desks.openAhead(usersWithCaches(dataDir));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await host.close();
    await desks.close();
    process.exit(0);
  });
}
