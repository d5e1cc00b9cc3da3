// The central API as it ships: server/main.ts and the clm command line bundled to two ES modules
// with esbuild, so production runs plain `node` (tsx and every other dev dependency stay in the
// build). Packages stay external and come from `npm ci --omit=dev` beside the bundle. The shipped
// offer catalogue is copied next to the bundles because load-catalog.ts finds it relative to its
// own module (`./offers`), which after bundling is the bundle's folder.
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const repoRoot = path.resolve(import.meta.dirname, '..');

/** Entry points, by the file name they get under <outDir>/server/ (clm score starts score-worker.mjs threads from beside clm.mjs). */
export const SERVER_ENTRIES = { main: 'server/main.ts', clm: 'server/cli/clm.ts', 'score-worker': 'server/scoring/score-worker.ts' } as const;
/** The compiler settings esbuild takes from the repository (class fields, import elision); it extends tsconfig.base.json. */
export const SERVER_TSCONFIG = 'tsconfig.json';

export interface ServerBundle {
  /** <outDir>/server: main.mjs, clm.mjs, score-worker.mjs, their source maps and offers/. */
  serverDir: string;
  /** Every package the bundles import at run time (bare specifiers reduced to the package name). */
  runtimePackages: string[];
  /** The repository's top-level folders the bundles were built from (the image's build stage must copy them). */
  sourceFolders: string[];
}

const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

export async function buildServerBundle(outDir: string): Promise<ServerBundle> {
  const serverDir = path.join(outDir, 'server');
  mkdirSync(serverDir, { recursive: true });
  const result = await build({
    absWorkingDir: repoRoot,
    tsconfig: SERVER_TSCONFIG,
    entryPoints: SERVER_ENTRIES,
    outdir: serverDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  cpSync(path.join(repoRoot, 'server/catalog/offers'), path.join(serverDir, 'offers'), { recursive: true });

  const packages = new Set<string>();
  for (const input of Object.values(result.metafile.inputs))
    for (const imported of input.imports) if (imported.external && !imported.path.startsWith('node:')) packages.add(packageName(imported.path));
  const sourceFolders = new Set(Object.keys(result.metafile.inputs).map((input) => input.split('/')[0]!));
  return { serverDir, runtimePackages: [...packages].sort(), sourceFolders: [...sourceFolders].sort() };
}
