// The layer arrows `npm run lint` enforces (.dependency-cruiser.cjs): a wrong-way import planted in
// a scratch tree laid out like ours fails the check and names the rule; the allowed arrows pass.
// The cases cruise in this process through dependency-cruiser's API with the project's config (a
// `depcruise` child per case spent two seconds loading TypeScript each); one case runs the
// command `npm run lint` runs, for its exit code and output.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = path.join(ROOT, 'node_modules/.bin/depcruise');
const LAYERS = ['shared', 'db', 'desk-backend', 'renderer', 'electron', 'web-host', 'server', 'bench', 'tests'];

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

interface LayerCheck {
  ok: boolean;
  output: string;
}

/** Lays out `files` (path → source) in a scratch tree; returns it and the layer folders to cruise. */
function plant(files: Record<string, string>): { dir: string; present: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'clm-layers-'));
  scratch = dir;
  for (const layer of LAYERS) mkdirSync(path.join(dir, layer), { recursive: true });
  for (const [file, source] of Object.entries(files)) writeFileSync(path.join(dir, file), source);
  return { dir, present: LAYERS.filter((layer) => Object.keys(files).some((file) => file.startsWith(`${layer}/`))) };
}

/** The project's layer check over `files`, as `depcruise --config .dependency-cruiser.cjs --output-type err` runs it. */
async function checkLayers(files: Record<string, string>): Promise<LayerCheck> {
  const { dir, present } = plant(files);
  const options = await extractDepcruiseOptions(CONFIG);
  const tsConfig = options.tsConfig?.fileName === undefined ? undefined : extractTSConfig(options.tsConfig.fileName);
  const result = await cruise(present, { ...options, baseDir: dir, outputType: 'err' }, {}, { tsConfig });
  return { ok: result.exitCode === 0, output: String(result.output) };
}

/** The same check through the `depcruise` command, as `npm run lint` runs it. */
async function checkLayersWithCommand(files: Record<string, string>): Promise<LayerCheck> {
  const { dir, present } = plant(files);
  try {
    const { stdout } = await promisify(execFile)(DEPCRUISE, [...present, '--config', CONFIG, '--output-type', 'err'], { cwd: dir });
    return { ok: true, output: stdout };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('layer rules', () => {
  /** `from` imports a value from `to`: the smallest wrong-way (or right-way) arrow. */
  const arrow = (from: string, to: string) => ({
    [from]: `import { value } from '${path.posix
      .relative(path.posix.dirname(from), to)
      .replace(/^(?!\.)/, './')
      .replace(/\.ts$/, '')}';\nexport const used = value;\n`,
    [to]: 'export const value = 1;\n',
  });

  it.each([
    { from: 'renderer/screen.ts', to: 'server/secret.ts', rule: 'renderer-imports-only-shared' },
    { from: 'server/route.ts', to: 'db/cache.ts', rule: 'server-imports-only-shared' },
    { from: 'db/cache.ts', to: 'electron/shell.ts', rule: 'db-imports-only-shared' },
    { from: 'db/cache.ts', to: 'desk-backend/session.ts', rule: 'db-imports-only-shared' },
    { from: 'desk-backend/session.ts', to: 'electron/shell.ts', rule: 'desk-backend-imports-only-db-shared' },
    { from: 'electron/shell.ts', to: 'renderer/view.ts', rule: 'electron-imports-only-desk-backend-shared' },
    { from: 'electron/shell.ts', to: 'db/cache.ts', rule: 'electron-imports-only-desk-backend-shared' },
    { from: 'web-host/host.ts', to: 'electron/shell.ts', rule: 'web-host-imports-only-desk-backend-shared' },
    { from: 'shared/rule.ts', to: 'tests/fixture.ts', rule: 'shared-imports-only-itself' },
  ])('refuses $from importing $to ($rule)', async ({ from, to, rule }) => {
    const result = await checkLayers(arrow(from, to));
    expect(result.ok).toBe(false);
    expect(result.output).toContain(rule);
  });

  it('the depcruise command itself fails on a wrong-way import and names the rule', async () => {
    const result = await checkLayersWithCommand(arrow('renderer/screen.ts', 'server/secret.ts'));
    expect(result.ok).toBe(false);
    expect(result.output).toContain('renderer-imports-only-shared');
  });

  it('refuses Node built-ins in shared/', async () => {
    const result = await checkLayers({ 'shared/reader.ts': "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n" });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('shared-has-no-io');
  });

  it('refuses an import cycle', async () => {
    const result = await checkLayers({
      'renderer/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'renderer/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('no-circular');
  });

  it('allows a cycle of type-only imports (they vanish at run time)', async () => {
    const result = await checkLayers({
      'renderer/store.ts': "import { slice } from './slice';\nexport interface Store { n: number }\nexport const store = slice;\n",
      'renderer/slice.ts': "import type { Store } from './store';\nexport const slice = (s: Store) => s.n;\n",
    });
    expect(result.ok).toBe(true);
  });

  it('allows the arrows of the design: electron and web-host → desk-backend → db → shared, renderer → shared, tests → anything', async () => {
    const result = await checkLayers({
      'shared/contract.ts': 'export const contract = 1;\n',
      'db/cache.ts': "import { contract } from '../shared/contract';\nexport const cache = contract;\n",
      'desk-backend/session.ts':
        "import { cache } from '../db/cache';\nimport { contract } from '../shared/contract';\nexport const session = cache + contract;\n",
      'electron/shell.ts':
        "import { session } from '../desk-backend/session';\nimport { contract } from '../shared/contract';\nexport const shell = session + contract;\n",
      'web-host/host.ts': "import { session } from '../desk-backend/session';\nexport const host = session;\n",
      'renderer/view.ts': "import { contract } from '../shared/contract';\nexport const view = contract;\n",
      'server/route.ts': "import { contract } from '../shared/contract';\nexport const route = contract;\n",
      'tests/all.ts':
        "import { shell } from '../electron/shell';\nimport { host } from '../web-host/host';\nimport { route } from '../server/route';\nimport { view } from '../renderer/view';\nexport const all = [shell, host, route, view];\n",
    });
    expect(result.output).not.toMatch(/error/);
    expect(result.ok).toBe(true);
  });
});
