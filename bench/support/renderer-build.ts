// Builds the renderer into a scratch folder (not dist/, which other tasks may be using) with the
// project's own vite config, so the screen pop is measured on the current source.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './child-rpc';

export function buildRenderer(outDir: string): Promise<void> {
  const vite = path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js');
  const args = [vite, 'build', '--config', 'renderer/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with code ${code}`))));
  });
}
