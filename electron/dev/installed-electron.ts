// What `npm ci` installed of Electron: its executable (absent where ELECTRON_SKIP_BINARY_DOWNLOAD
// was set or the download host was unreachable) and the NODE_MODULE_VERSION its version gives
// native modules.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { NativeRuntime } from '../common/sqlite-binding';

const require = createRequire(import.meta.url);

/** The Electron executable, or why there is none, in a form that fits in one line. */
export function electronExecutable(): { path: string } | { missing: string } {
  const why = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD
    ? 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so `npm ci` did not download it'
    : '`npm ci` could not download it, which needs internet';
  try {
    const executable = require('electron') as unknown;
    if (typeof executable === 'string' && existsSync(executable)) return { path: executable };
    return { missing: why };
  } catch {
    // electron's index.js throws when its install script left no path.txt (skipped or failed).
    return { missing: why };
  }
}

/**
 * The installed electron package as a native-module target. The ABI comes from node-abi, the
 * table @electron/rebuild and prebuild-install build with (resolved through @electron/rebuild, whose
 * dependency it is).
 */
export async function installedElectron(): Promise<NativeRuntime & { version: string }> {
  const { version } = require('electron/package.json') as { version: string };
  const nodeAbiPath = createRequire(require.resolve('@electron/rebuild')).resolve('node-abi');
  const nodeAbi = (await import(pathToFileURL(nodeAbiPath).href)) as { getAbi(target: string, runtime: 'electron'): string };
  return { version, name: `Electron ${version}`, abi: nodeAbi.getAbi(version, 'electron') };
}
