// Child process: the browser-mode desk (desk backend + web host, as web-host/main.ts wires
// them, the cache encrypted) on a given cache file, serving a given renderer build on a free loopback port. The benchmarks
// sign in one user, whose desk opens on that file.
import { openDeskBackend } from '../../desk-backend/opening-desk-backend';
import { createUserDesks } from '../../web-host/user-desks';
import { createWebHost } from '../../web-host/web-host';
import { BENCH_CACHE_KEY } from './bench-cache';
import { childConfig, failStartup, serveRpc } from './child-rpc';

export interface DeskWebChildConfig {
  cachePath: string;
  apiUrl: string;
  rendererDir: string;
  /** A user whose desk the host opens when it starts, as web-host/main.ts opens the desks of users with a cache there. */
  openAheadFor?: string;
}

try {
  const config = childConfig<DeskWebChildConfig>();
  const warnings: string[] = [];
  const desks = createUserDesks({
    maxDesks: 1,
    opener: () => ({
      backend: openDeskBackend({
        cachePath: config.cachePath,
        apiUrl: config.apiUrl,
        cacheKey: BENCH_CACHE_KEY,
        logger: { warn: (message) => void warnings.push(message) },
      }),
    }),
  });
  const host = await createWebHost({ desks, rendererDir: config.rendererDir });
  const url = await host.listen({ host: '127.0.0.1', port: 0 });
  const openedAhead = desks.openAhead(config.openAheadFor === undefined ? [] : [config.openAheadFor]);
  serveRpc(
    { url },
    // The desk logs a warning for every slow handler; the benchmark reports them.
    // openedAhead: settles once the desk opened at start passed its cache check.
    { warnings: async () => warnings.splice(0), openedAhead: () => openedAhead },
    async () => {
      await host.close();
      await desks.close();
    },
  );
} catch (error) {
  failStartup(error);
}
