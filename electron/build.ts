// Bundles main, preload and the data process to CommonJS in dist-electron/. The sandboxed
// preload must be a single self-contained file; native and Electron modules stay external.
import { build } from 'esbuild';

const entries = {
  main: 'electron/main/main.ts',
  preload: 'electron/preload/preload.ts',
  'data-process': 'electron/data-process/data-process.ts',
};

await build({
  entryPoints: entries,
  outdir: 'dist-electron',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['electron', 'better-sqlite3-multiple-ciphers', 'bufferutil', 'utf-8-validate'],
  logLevel: 'info',
});
