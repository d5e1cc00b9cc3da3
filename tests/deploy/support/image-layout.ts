// The runtime stage of deploy/Dockerfile laid out in a temporary folder, for running what the image
// runs without a container runtime: the server bundle at <app>/server (built by the same
// deploy/server-bundle.ts as the build stage), the scripts the Dockerfile copies to /usr/local/bin
// in <bin>, its ENV, and ENTRYPOINT + CMD with /usr/local/bin mapped to <bin>. node_modules is
// the repository's; the image's holds only production packages, which the bundle-imports test checks.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildServerBundle } from '../../../deploy/server-bundle';
import { contextCopies, execForm, instructionsOf, readDockerfile, repoRoot, type Stage } from './dockerfile';

const IMAGE_BIN = '/usr/local/bin/';

export interface ImageLayout {
  appDir: string;
  binDir: string;
  /** ENTRYPOINT followed by CMD, as the container starts them. */
  command: string[];
  /** ENV of the runtime stage, PATH with <bin> first, and CLM_HOME for the clm wrapper. */
  env: Record<string, string>;
  runtimePackages: string[];
  /** The repository folders the bundle was built from. */
  sourceFolders: string[];
  remove(): void;
}

export function runtimeStage(): Stage {
  const stage = readDockerfile().stages.at(-1);
  if (!stage) throw new Error('deploy/Dockerfile has no stage');
  return stage;
}

function imageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of instructionsOf(stage, 'ENV'))
    for (const pair of line.args.split(/\s+/)) {
      const [name = '', value = ''] = pair.split('=');
      env[name] = value;
    }
  return env;
}

export async function assembleImageLayout(): Promise<ImageLayout> {
  const stage = runtimeStage();
  const root = mkdtempSync(path.join(tmpdir(), 'clm-image-'));
  const appDir = path.join(root, 'app');
  const binDir = path.join(root, 'bin');
  mkdirSync(binDir, { recursive: true });
  const { runtimePackages, sourceFolders } = await buildServerBundle(appDir);
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(appDir, 'node_modules'));
  for (const { source, target } of contextCopies(stage).filter((copy) => copy.target.startsWith(IMAGE_BIN))) {
    const copied = path.join(binDir, path.posix.basename(target));
    copyFileSync(path.join(repoRoot, source), copied);
    chmodSync(copied, 0o755);
  }
  const inImage = (part: string) => (part.startsWith(IMAGE_BIN) ? path.join(binDir, part.slice(IMAGE_BIN.length)) : part);
  const [entrypoint] = instructionsOf(stage, 'ENTRYPOINT');
  const [cmd] = instructionsOf(stage, 'CMD');
  if (!entrypoint || !cmd) throw new Error('the runtime stage needs ENTRYPOINT and CMD');
  return {
    appDir,
    binDir,
    command: [...execForm(entrypoint), ...execForm(cmd)].map(inImage),
    env: { ...imageEnv(stage), PATH: `${binDir}:${process.env.PATH ?? ''}`, CLM_HOME: appDir },
    runtimePackages,
    sourceFolders,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
