// `npm ci && npm start` on a machine with internet must reach a working Electron desk. Neither
// the Electron binary nor its headers can be downloaded here, so this checks what can be: the
// pieces `npm start` and `npm run package` use agree with each other and with the installed
// Electron, and a better-sqlite3 build for the wrong ABI is refused with the fix in the message.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { openCache } from '../../db/cache/open-cache';
import {
  ELECTRON_NATIVE_DIR,
  ELECTRON_SQLITE_BINDING,
  PACKAGED_SQLITE_BINDING,
  REBUILD_COMMAND,
  SqliteBindingError,
  checkSqliteBinding,
  currentRuntime,
} from '../../electron/common/sqlite-binding';
import { electronExecutable, installedElectron } from '../../electron/dev/installed-electron';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const readProjectFile = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');

const PackageJson = z.object({ scripts: z.record(z.string(), z.string()), allowScripts: z.record(z.string(), z.boolean()) });
const BuilderConfig = z.object({
  electronVersion: z.string(),
  npmRebuild: z.boolean(),
  files: z.array(z.string()),
  extraResources: z.array(z.object({ from: z.string(), to: z.string() })),
});
const packageJson = PackageJson.parse(JSON.parse(readProjectFile('package.json')));
const builder = BuilderConfig.parse(parseYaml(readProjectFile('electron-builder.yml')));
const electronPackageVersion = (require('electron/package.json') as { version: string }).version;
/** The desk's SQLite module's own build, made by `npm ci` for the Node running this test. */
const nodeBuild = path.join(path.dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json')), 'build', 'Release', 'better_sqlite3.node');
const posix = (file: string) => file.split(path.sep).join('/');

/** The commands of an npm script, in order. */
const steps = (script: string) => (packageJson.scripts[script] ?? '').split('&&').map((step) => step.trim());

let electron: Awaited<ReturnType<typeof installedElectron>>;
beforeAll(async () => {
  electron = await installedElectron();
});

describe('what `npm start` and `npm run package` use', () => {
  it("lets electron's install script run, so `npm ci` downloads the binary where there is internet", () => {
    // electron's install.js itself skips the download when ELECTRON_SKIP_BINARY_DOWNLOAD is set (CI, sandboxes).
    expect(packageJson.allowScripts.electron).toBe(true);
    expect(readFileSync(require.resolve('electron/install.js'), 'utf8')).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
  });

  it('builds better-sqlite3 for Electron before starting Electron, and before packaging (there strictly)', () => {
    expect(packageJson.scripts['rebuild:electron']).toBe('tsx electron/dev/rebuild-electron-sqlite.ts');
    const start = steps('start');
    const rebuildAt = start.indexOf('npm run --silent rebuild:electron');
    expect(rebuildAt).toBeGreaterThanOrEqual(0);
    expect(start.findIndex((step) => step.includes('electron/dev/start.ts --shell electron'))).toBeGreaterThan(rebuildAt);
    const pack = steps('package');
    const strictAt = pack.indexOf('npm run --silent rebuild:electron -- --strict');
    expect(strictAt).toBeGreaterThanOrEqual(0);
    expect(pack.findIndex((step) => step.startsWith('electron-builder '))).toBeGreaterThan(strictAt);
    expect(REBUILD_COMMAND).toBe('npm run rebuild:electron'); // the fix the refusals below name
  });

  it('keeps the Electron build beside the Node build, in the folder the rebuild writes and main passes', () => {
    // main passes path.join(app.getAppPath(), ELECTRON_SQLITE_BINDING): tests/security/electron-main-wiring.test.ts.
    expect(ELECTRON_SQLITE_BINDING.startsWith(ELECTRON_NATIVE_DIR + path.sep)).toBe(true);
    expect(path.resolve(projectRoot, ELECTRON_SQLITE_BINDING)).not.toBe(nodeBuild);
    expect(readProjectFile('.gitignore').split('\n')).toContain('node_modules/');
  });

  it('packages that same build as the resource main loads in a packaged app, and leaves node_modules unrebuilt', () => {
    expect(builder.extraResources).toContainEqual({ from: posix(ELECTRON_SQLITE_BINDING), to: posix(PACKAGED_SQLITE_BINDING) });
    expect(builder.npmRebuild).toBe(false);
    // Only the JavaScript of the desk's SQLite module goes into the asar: no Node-ABI binary, and no plain better-sqlite3, ships.
    expect(ELECTRON_SQLITE_BINDING.split(path.sep)).toContain('better-sqlite3-multiple-ciphers');
    expect(builder.files.filter((pattern) => pattern.startsWith('node_modules/'))).toEqual([
      'node_modules/better-sqlite3-multiple-ciphers/package.json',
      'node_modules/better-sqlite3-multiple-ciphers/lib/**',
    ]);
  });

  it("targets the installed Electron: electron-builder's version, and node-abi's ABI agrees with Electron's own", () => {
    expect(electron.version).toBe(electronPackageVersion);
    expect(builder.electronVersion).toBe(electronPackageVersion);
    expect(electron.abi).toBe(readFileSync(path.join(path.dirname(require.resolve('electron/package.json')), 'abi_version'), 'utf8').trim());
    // Why the Node build cannot serve Electron:
    expect(electron.abi).not.toBe(process.versions.modules);
  });
});

describe('the better-sqlite3 build check', () => {
  it("refuses a build for another ABI (Node's own, standing in) and names the fix", () => {
    expect(() => checkSqliteBinding(nodeBuild, electron)).toThrow(SqliteBindingError);
    expect(() => checkSqliteBinding(nodeBuild, electron)).toThrow(
      `better-sqlite3-multiple-ciphers at ${nodeBuild} was built for NODE_MODULE_VERSION ${process.versions.modules}, ` +
        `Electron ${electronPackageVersion} needs ${electron.abi}: run \`npm run rebuild:electron\``,
    );
  });

  it('refuses a missing build and names the fix', () => {
    const missing = path.join(mkdtempSync(path.join(tmpdir(), 'clm-binding-')), 'better_sqlite3.node');
    expect(() => checkSqliteBinding(missing, electron)).toThrow(`${missing} is missing; run \`npm run rebuild:electron\``);
  });

  it('refuses a file that is no Node module', () => {
    const notAModule = require.resolve('better-sqlite3-multiple-ciphers/package.json');
    expect(() => checkSqliteBinding(notAModule, electron)).toThrow('was built for no Node ABI it declares');
  });

  it("accepts a build that declares Electron's ABI", () => {
    // Stands in for a real Electron build: what the check reads is the symbol Node's addon macro exports.
    const electronBuild = path.join(mkdtempSync(path.join(tmpdir(), 'clm-binding-')), 'better_sqlite3.node');
    writeFileSync(electronBuild, Buffer.from(`\x7fELF\0symbols\0node_register_module_v${electron.abi}\0napi_module_register\0`, 'latin1'));
    expect(() => checkSqliteBinding(electronBuild, electron)).not.toThrow();
  });

  it('accepts the build for the running runtime, and the cache opens through it', () => {
    expect(() => checkSqliteBinding(nodeBuild, currentRuntime())).not.toThrow();
    const db = openCache(path.join(mkdtempSync(path.join(tmpdir(), 'clm-binding-')), 'desk-cache.sqlite'), { nativeBinding: nodeBuild });
    try {
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });
});

// Where an Electron binary is installed these would start real downloads or a real desk.
describe.skipIf(!('missing' in electronExecutable()))('without an Electron binary', () => {
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', ...args], {
      cwd: projectRoot,
      // An API URL set means the launcher never starts its own central API.
      env: { ...process.env, CLM_API_URL: 'http://127.0.0.1:9' },
      timeout: 60_000,
    });

  it('the rebuild step says so in one line and succeeds, so `npm start` goes on to its message', async () => {
    const { stdout, stderr } = await run(['electron/dev/rebuild-electron-sqlite.ts']);
    expect(stderr).toBe('');
    expect(stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^Not building better-sqlite3-multiple-ciphers .* no Electron binary here .*npm run start:web/),
    ]);
  });

  it('the launcher stops in one line that points to start:web, before starting anything', async () => {
    const failure = await run(['electron/dev/start.ts', '--shell', 'electron']).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^No Electron binary is installed here: .*npm run start:web$/)]);
  });
});
