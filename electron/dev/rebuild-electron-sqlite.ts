// `npm run rebuild:electron` (run by `npm start` and `npm run package`): builds the desk's SQLite
// module (better-sqlite3-multiple-ciphers) for the installed Electron's ABI into
// node_modules/.electron-native, beside the Node build that the tests and the tools load (a
// rebuild in place would break them).
// It needs internet (a prebuilt binary from GitHub, or Electron's headers to compile). Where that
// or the Electron binary is missing it says so in one line and exits 0, so `npm start` goes on to
// its own clear message and `npm run start:web` is unaffected; `--strict` (packaging) exits 1.
import { rebuild } from '@electron/rebuild';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SQLITE_MODULE } from '../../desk-backend/hosting/sqlite-module';
import { ELECTRON_NATIVE_DIR, ELECTRON_SQLITE_BINDING, bindingAbi, checkSqliteBinding } from '../common/sqlite-binding';
import { electronExecutable, installedElectron } from './installed-electron';

const { values } = parseArgs({ options: { strict: { type: 'boolean', default: false } } });

const projectRoot = path.resolve(import.meta.dirname, '..', '..');
const stagingRoot = path.join(projectRoot, ELECTRON_NATIVE_DIR);
const stagedModule = path.join(stagingRoot, 'node_modules', SQLITE_MODULE);
const bindingFile = path.join(projectRoot, ELECTRON_SQLITE_BINDING);
const logFile = path.join(stagingRoot, 'rebuild.log');
const installedModule = path.dirname(createRequire(import.meta.url).resolve(`${SQLITE_MODULE}/package.json`));
const sqliteVersion = (JSON.parse(readFileSync(path.join(installedModule, 'package.json'), 'utf8')) as { version: string }).version;
const electron = await installedElectron();
const target = `${SQLITE_MODULE} ${sqliteVersion} for ${electron.name} (NODE_MODULE_VERSION ${electron.abi})`;

function isUpToDate(): boolean {
  const stagedPackage = path.join(stagedModule, 'package.json');
  if (!existsSync(bindingFile) || !existsSync(stagedPackage)) return false;
  const staged = JSON.parse(readFileSync(stagedPackage, 'utf8')) as { version: string };
  return staged.version === sqliteVersion && bindingAbi(bindingFile) === electron.abi;
}

/** Runs `work` with console output going to the log: @electron/rebuild prints node-gyp's whole output on failure. */
async function withConsoleInLog<T>(work: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, warn: console.warn, error: console.error };
  const lines: string[] = [];
  console.log = console.warn = console.error = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  try {
    return await work();
  } finally {
    Object.assign(console, saved);
    writeFileSync(logFile, lines.join('\n'));
  }
}

async function buildBinding(): Promise<void> {
  rmSync(stagingRoot, { recursive: true, force: true });
  // A copy of the package without its Node build, in a folder @electron/rebuild sees as an app.
  cpSync(installedModule, stagedModule, { recursive: true, filter: (source) => path.relative(installedModule, source).split(path.sep)[0] !== 'build' });
  writeFileSync(path.join(stagingRoot, 'package.json'), JSON.stringify({ private: true, dependencies: { [SQLITE_MODULE]: sqliteVersion } }));
  // CI sets npm_config_nodedir=/usr so the module compiles against the system's Node headers;
  // node-gyp would take it here too and build for Node's ABI instead of Electron's.
  for (const name of Object.keys(process.env)) if (name.toLowerCase() === 'npm_config_nodedir') delete process.env[name];
  await withConsoleInLog(() => rebuild({ buildPath: stagingRoot, electronVersion: electron.version, onlyModules: [SQLITE_MODULE], force: true }));
  checkSqliteBinding(bindingFile, electron);
}

const relative = (file: string) => path.relative(projectRoot, file);

if (isUpToDate()) {
  console.log(`${target} is up to date: ${relative(bindingFile)}`);
} else {
  const executable = electronExecutable();
  if (!values.strict && 'missing' in executable) {
    console.log(`Not building ${target}: no Electron binary here (${executable.missing}); \`npm run start:web\` runs the desk without it`);
  } else {
    try {
      await buildBinding();
      console.log(`Built ${target}: ${relative(bindingFile)}`);
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      console.log(
        `Could not build ${target} (${reason}); it needs internet for a prebuilt binary or Electron's headers, ` +
          `details in ${relative(logFile)}${values.strict ? '' : '; `npm run start:web` runs the desk without it'}`,
      );
      process.exitCode = values.strict ? 1 : 0;
    }
  }
}
