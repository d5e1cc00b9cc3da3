// `npm run start:web` host: desk backend + browser-mode shell on loopback.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDeskBackend } from '../desk-backend/desk-backend';
import { DEFAULT_WEB_PORT, resolveDeskConfig } from '../desk-backend/hosting/desk-config';
import { createWebHost } from './web-host';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.CLM_WEB_PORT ?? String(DEFAULT_WEB_PORT) },
    'data-dir': { type: 'string', default: path.resolve('.data/desk-web') },
  },
});

const config = resolveDeskConfig(process.env, values['data-dir']);
let backend: ReturnType<typeof createDeskBackend>;
try {
  backend = createDeskBackend({ cachePath: config.cachePath, apiUrl: config.apiUrl });
} catch (error) {
  // A foreign, corrupt or newer cache file: say so and leave the file (and its outbox) untouched.
  console.error(`CLM Desk cannot open its local cache ${config.cachePath}: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
const host = await createWebHost({ backend, rendererDir: path.resolve('dist/renderer') });
const address = await host.listen({ host: '127.0.0.1', port: Number(values.port) });
console.log(`CLM Desk (browser mode) on ${address}  [central API ${config.apiUrl}, cache ${config.cachePath}]`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await host.close();
    await backend.close();
    process.exit(0);
  });
}
