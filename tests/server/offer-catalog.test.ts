// The authored offer catalogue: files validated as a whole (a broken one names file and field
// and publishes nothing), and published so that only real changes reach the desks.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralApi } from '../../server/app';
import { OfferCatalogError, type OfferCatalogFile } from '../../shared/offers/offer-catalog';
import { DEFAULT_CATALOG_DIR, loadOfferCatalog } from '../../server/catalog/load-catalog';
import { publishCatalog } from '../../server/catalog/publish-catalog';
import { readChangesPage } from '../../server/sync/changes-page';
import { startTestApi } from './support/test-api';

const tempDirs: string[] = [];
/** A copy of the shipped catalogue in a temp folder, to edit. */
function catalogCopy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clm-catalog-'));
  tempDirs.push(dir);
  cpSync(DEFAULT_CATALOG_DIR, dir, { recursive: true });
  return dir;
}
const readCatalogFile = (dir: string, name: string) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as OfferCatalogFile;
const writeCatalogFile = (dir: string, name: string, content: unknown) =>
  writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));

let api: CentralApi;
beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 0 });
});
afterAll(async () => {
  await api?.close();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

interface OfferRow {
  id: string;
  version: number;
  change_seq: number;
  deleted: boolean;
}
const offerRows = async () => new Map((await api.db.query<OfferRow>('SELECT id, version, change_seq, deleted FROM offers ORDER BY id')).map((r) => [r.id, r]));
const lastSeq = async () => (await readChangesPage(api.db, 0, 5000)).nextCursor;

describe('loading the catalogue files', () => {
  it('reads every offer of the shipped files, each id once', () => {
    const { offers, files } = loadOfferCatalog();
    expect(files.length).toBeGreaterThan(1);
    expect(new Set(offers.map((o) => o.id)).size).toBe(offers.length);
  });

  it('names the file and the field of a bad value', () => {
    const dir = catalogCopy();
    const file = readCatalogFile(dir, 'care.json');
    writeCatalogFile(dir, 'care.json', { ...file, offers: [{ ...file.offers[0], contactCostYuan: -3 }, ...file.offers.slice(1)] });
    expect(() => loadOfferCatalog(dir)).toThrow(OfferCatalogError);
    expect(() => loadOfferCatalog(dir)).toThrow(/care\.json: offers\[0\] \(OFF-D-NETWORK-CARE\): contactCostYuan: /);
  });

  it('names the file that is not JSON (and still checks the others), and an offer id defined twice', () => {
    const broken = catalogCopy();
    writeCatalogFile(broken, 'growth.json', '{"catalogVersion": "x", "offers": [');
    const care = readCatalogFile(broken, 'care.json');
    writeCatalogFile(broken, 'care.json', { ...care, catalogVersion: '' });
    expect(() => loadOfferCatalog(broken)).toThrow(/growth\.json: not valid JSON[^]*care\.json: catalogVersion: /);

    const twice = catalogCopy();
    writeCatalogFile(twice, 'zz-copy.json', readCatalogFile(twice, 'care.json'));
    expect(() => loadOfferCatalog(twice)).toThrow(/zz-copy\.json: offers\[0\] \(OFF-D-NETWORK-CARE\): id: duplicate offer id, first defined at .*care\.json/);
  });

  it('refuses a folder without catalogue files', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'clm-catalog-empty-'));
    tempDirs.push(empty);
    expect(() => loadOfferCatalog(empty)).toThrow(/holds no \*\.json files/);
  });
});

describe('publishing the catalogue', () => {
  it('is what the server did on start: every authored offer live at version 1', async () => {
    const rows = await offerRows();
    expect([...rows.keys()].sort()).toEqual(
      loadOfferCatalog()
        .offers.map((o) => o.id)
        .sort(),
    );
    for (const row of rows.values()) expect(row).toMatchObject({ version: 1, deleted: false });
  });

  it('writes nothing when nothing changed, so desks pull nothing', async () => {
    const before = await offerRows();
    const cursor = await lastSeq();
    const publication = await publishCatalog(api.db, loadOfferCatalog().offers);
    expect(publication).toEqual({ upserted: [], retired: [], unchanged: before.size });
    expect(await offerRows()).toEqual(before);
    expect(await lastSeq()).toBe(cursor);
  });

  it('bumps the version of a changed offer, tombstones a removed one, and leaves the rest alone', async () => {
    const before = await offerRows();
    const cursor = await lastSeq();
    const dir = catalogCopy();
    const care = readCatalogFile(dir, 'care.json');
    const [networkCare, apology, ...rest] = care.offers;
    writeCatalogFile(dir, 'care.json', { ...care, offers: [{ ...networkCare!, costYuan: networkCare!.costYuan + 5 }, ...rest] });

    const publication = await publishCatalog(api.db, loadOfferCatalog(dir).offers);
    expect(publication).toEqual({ upserted: [networkCare!.id], retired: [apology!.id], unchanged: before.size - 2 });

    const after = await offerRows();
    expect(after.get(networkCare!.id)).toMatchObject({ version: 2, deleted: false });
    expect(after.get(apology!.id)).toMatchObject({ version: 2, deleted: true });
    for (const [id, row] of before) if (id !== networkCare!.id && id !== apology!.id) expect(after.get(id), id).toEqual(row);

    const page = await readChangesPage(api.db, cursor, 100);
    expect(page.changes.map((c) => [c.entity, c.id, c.op, c.version])).toEqual([
      ['offer', networkCare!.id, 'upsert', 2],
      ['offer', apology!.id, 'delete', 2],
    ]);
    expect(page.changes[0]).toMatchObject({ data: { costYuan: networkCare!.costYuan + 5, version: 2 } });

    // Authored again, the retired offer comes back with a newer version than its tombstone.
    await publishCatalog(api.db, loadOfferCatalog().offers);
    expect((await offerRows()).get(apology!.id)).toMatchObject({ version: 3, deleted: false });
  });

  it('refuses to start on a broken catalogue, with the file and field, and changes nothing', async () => {
    const before = await offerRows();
    const cursor = await lastSeq();
    const dir = catalogCopy();
    const growth = readCatalogFile(dir, 'growth.json');
    // The first file is valid and edited: a partial publication would show it.
    const care = readCatalogFile(dir, 'care.json');
    writeCatalogFile(dir, 'care.json', { ...care, offers: [{ ...care.offers[0]!, costYuan: 999 }, ...care.offers.slice(1)] });
    writeCatalogFile(dir, 'growth.json', { ...growth, offers: [{ ...growth.offers[0]!, fulfilment: { action: 'teleport', planCode: null } }] });

    await expect(startTestApi({ db: { client: api.db, driver: api.driver }, catalogDir: dir })).rejects.toThrow(
      /growth\.json: offers\[0\] \(OFF-B-5G-UPGRADE\): fulfilment\.action: /,
    );
    expect(await offerRows()).toEqual(before);
    expect(await lastSeq()).toBe(cursor);
  });
});

describe('clm catalog check', () => {
  const run = promisify(execFile);
  const clm = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    run(process.execPath, ['--import', 'tsx', 'server/cli/clm.ts', 'catalog', 'check', ...args], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, ...env },
    }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  it('accepts the shipped catalogue and refuses a broken one with exit code 2 and the file and field', async () => {
    const ok = await clm([]);
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringMatching(/catalogue OK: \d+ offers in \d+ files/) });

    const dir = catalogCopy();
    const retention = readCatalogFile(dir, 'retention.json');
    writeCatalogFile(dir, 'retention.json', { ...retention, offers: [{ ...retention.offers[0]!, priorAcceptance: { alpha: 0, beta: 7 } }] });
    const bad = await clm(['--dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/retention\.json: offers\[0\] \(OFF-D-RETENTION-BONUS-DATA\): priorAcceptance\.alpha: /);
    // The operator's catalogue folder, as the server reads it too.
    const viaEnvironment = await clm([], { CLM_CATALOG_DIR: dir });
    expect(viaEnvironment.code).toBe(2);
    expect(viaEnvironment.stderr).toContain('retention.json');
  });
});
