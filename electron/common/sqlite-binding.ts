// Where the Electron shell finds the desk's SQLite module (better-sqlite3-multiple-ciphers, the
// encrypted cache's build of better-sqlite3) built for Electron's ABI, and the check that refuses a
// build for another ABI with the fix in the message. The build in node_modules is Node's (the tests
// and the tools use it), so the Electron build lives beside it: `npm run rebuild:electron` makes it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SQLITE_MODULE } from '../../desk-backend/hosting/sqlite-module';

export const REBUILD_COMMAND = 'npm run rebuild:electron';

/** The rebuild's folder (relative to the project): inside node_modules, so `npm ci` clears it with the package it was built from. */
export const ELECTRON_NATIVE_DIR = path.join('node_modules', '.electron-native');

/** The Electron build of that module in a development checkout (relative to the project); the addon keeps better-sqlite3's file name. */
export const ELECTRON_SQLITE_BINDING = path.join(ELECTRON_NATIVE_DIR, 'node_modules', SQLITE_MODULE, 'build', 'Release', 'better_sqlite3.node');

/** Where electron-builder.yml's extraResources puts that file in a packaged app (relative to process.resourcesPath). */
export const PACKAGED_SQLITE_BINDING = path.join('native', 'better_sqlite3.node');

/** A JavaScript runtime as native modules see it: a name for messages and its NODE_MODULE_VERSION. */
export interface NativeRuntime {
  name: string;
  abi: string;
}

export const currentRuntime = (): NativeRuntime => ({
  name: process.versions.electron ? `Electron ${process.versions.electron}` : `Node ${process.versions.node}`,
  abi: process.versions.modules,
});

export class SqliteBindingError extends Error {
  override name = 'SqliteBindingError';
}

const ABI_MARKER = 'node_register_module_v';

/**
 * The NODE_MODULE_VERSION a native module was built for, read without loading it: Node's addon
 * macro exports the symbol `node_register_module_v<ABI>`. Loading a wrong build instead fails
 * with Node's advice to run `npm rebuild`, which here would rebuild the wrong copy.
 */
export function bindingAbi(file: string): string | null {
  const bytes = readFileSync(file);
  const at = bytes.indexOf(ABI_MARKER);
  if (at < 0) return null;
  const digits = /^\d+/.exec(bytes.subarray(at + ABI_MARKER.length, at + ABI_MARKER.length + 8).toString('latin1'));
  return digits ? digits[0] : null;
}

/** Throws SqliteBindingError, naming the fix, unless `file` is a build for `runtime`. */
export function checkSqliteBinding(file: string, runtime: NativeRuntime): void {
  if (!existsSync(file)) {
    throw new SqliteBindingError(
      `${SQLITE_MODULE} is not built for ${runtime.name} (NODE_MODULE_VERSION ${runtime.abi}): ${file} is missing; run \`${REBUILD_COMMAND}\``,
    );
  }
  const abi = bindingAbi(file);
  if (abi !== runtime.abi) {
    const builtFor = abi === null ? 'no Node ABI it declares' : `NODE_MODULE_VERSION ${abi}`;
    throw new SqliteBindingError(`${SQLITE_MODULE} at ${file} was built for ${builtFor}, ${runtime.name} needs ${runtime.abi}: run \`${REBUILD_COMMAND}\``);
  }
}
