// Real desk backends on their own caches under a data dir, talking to a real central API in-process
// (a small demo book): what the web host's integration tests sign in to. Setting
// `network.reachable = false` makes every call to the central API fail as a dropped network does.
import type { CentralApi } from '../../../server/app';
import { createDeskBackend, type DeskBackendOptions } from '../../../desk-backend/desk-backend';
import { deskOpener } from '../../../web-host/desk-directories';
import { createUserDesks, type DeskBackendLike, type UserDesks, type UserDesksOptions } from '../../../web-host/user-desks';
import { startTestApi } from '../../server/support/test-api';
import { injectFetch } from '../../support/inject-fetch';

export interface DesksOnTestApi {
  api: CentralApi;
  desks: UserDesks;
  network: { reachable: boolean };
}

/** `openBackend` is how the host opens each desk: createDeskBackend unless a test opens them as web-host/main.ts does. */
export async function startDesksOnTestApi(
  dataDir: string,
  options: Omit<UserDesksOptions, 'opener'>,
  openBackend: (options: DeskBackendOptions) => DeskBackendLike = createDeskBackend,
): Promise<DesksOnTestApi> {
  const api = await startTestApi({ seedCustomers: 20 });
  const network = { reachable: true };
  const reach = injectFetch(() => api.app);
  const fetchApi = (async (input: string | URL | Request, init?: RequestInit) => {
    if (!network.reachable) throw new TypeError('fetch failed');
    return reach(input, init);
  }) as typeof fetch;
  const desks = createUserDesks({
    ...options,
    opener: deskOpener(dataDir, (cachePath) =>
      openBackend({
        cachePath,
        apiUrl: 'http://127.0.0.1:1', // only the CTI WebSocket uses it: it fails quietly, HTTP goes through `fetch`
        fetch: fetchApi,
        pullIntervalMs: 1_000_000_000,
        uploadIntervalMs: 1_000_000_000,
        logger: { warn: () => undefined },
      }),
    ),
  });
  return { api, desks, network };
}
