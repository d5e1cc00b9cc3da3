// Where the desk finds the central API and keeps its cache. One place for both shells.
import path from 'node:path';

export const DEFAULT_API_URL = 'http://127.0.0.1:4310';
export const DEFAULT_WEB_PORT = 4320;

export interface DeskConfig {
  apiUrl: string;
  cachePath: string;
}

/** CLM_API_URL overrides the central API; CLM_DESK_DATA_DIR overrides the data folder (tests use a fresh one). */
export function resolveDeskConfig(env: NodeJS.ProcessEnv, defaultDataDir: string): DeskConfig {
  const dataDir = env.CLM_DESK_DATA_DIR ?? defaultDataDir;
  return { apiUrl: env.CLM_API_URL ?? DEFAULT_API_URL, cachePath: path.join(dataDir, 'desk-cache.sqlite') };
}
