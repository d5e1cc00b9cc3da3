// Child process for the resumability check: a desk that logs in and syncs until the parent kills
// it (SIGKILL, mid-sync: nothing is closed or flushed, as in a crash or a killed app).
import { childConfig, failStartup, serveRpc } from './child-rpc';
import { openDeskSession } from './desk-session';

export interface DeskSyncChildConfig {
  cachePath: string;
  apiUrl: string;
}

try {
  const config = childConfig<DeskSyncChildConfig>();
  const session = await openDeskSession(config);
  serveRpc({ started: true }, {}, () => session.close());
} catch (error) {
  failStartup(error);
}
