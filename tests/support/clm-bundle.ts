// `clm` for the tests that run it as a child process, without tsx in every child: global setup
// bundles server/cli/clm.ts once per run with esbuild (what tsx itself transforms with), and each
// run is plain `node` on that bundle: about 0.4 s of CPU instead of 1.3 s for the TypeScript
// transform and import of every command. `npm run clm` itself stays tsx on the source.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * A bundled module's import.meta.url would be the bundle's: each source file keeps its own, so a
 * path it resolves beside itself (the offer catalogue's folder) is the same as under tsx.
 */
const keepImportMetaUrl: Plugin = {
  name: 'keep-import-meta-url',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

/**
 * Bundles the command line into `outDir` (inside the repository, so the packages it leaves out are
 * found in node_modules as they are under tsx) and returns the bundle's path.
 */
export async function bundleClm(outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'clm.mjs');
  await build({
    // clm.ts runs itself only as the program (its own path in argv[1]); the bundle calls it.
    stdin: {
      contents: "import { runClm } from './server/cli/clm';\nprocess.exitCode = await runClm(process.argv.slice(2));\n",
      resolveDir: ROOT,
      sourcefile: 'clm-bundle-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    plugins: [keepImportMetaUrl],
    logLevel: 'warning',
  });
  return outfile;
}
