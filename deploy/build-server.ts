// `tsx deploy/build-server.ts OUT_DIR`: writes OUT_DIR/server/{main,clm}.mjs and the offer catalogue
// (deploy/Dockerfile's build stage, and sites installing without containers: docs/operations/runbook.md).
import { buildServerBundle } from './server-bundle';

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: tsx deploy/build-server.ts OUT_DIR');
  process.exit(2);
}
const bundle = await buildServerBundle(outDir);
console.log(`central API bundled into ${bundle.serverDir} (runtime packages: ${bundle.runtimePackages.join(', ')})`);
