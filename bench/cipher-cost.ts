// What encrypting the desk cache at rest costs (issue 21 §4): the card lookup (p50/p95 per call)
// and applying one sync page of 5,000 customer changes, on today's plain better-sqlite3 file against
// the desk cache as the desk now opens it (better-sqlite3-multiple-ciphers, ChaCha20-Poly1305,
// through openCache with a key) and, for the choice of cipher, SQLCipher v4's AES-256 scheme in the
// same library, in one run over copies of one cache (CLM_BENCH_ROWS customers) filled through the
// desk's own snapshot bootstrap, variants interleaved. Also the one-off cost of encrypting an
// existing plain cache, which every desk installed before pays at its first start
// (encryptPlainCache's check and rekey, on a worker thread). Nothing here asserts a time.
//   CLM_BENCH_ROWS=50000 npx tsx bench/cipher-cost.ts
import { randomBytes } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import PlainDatabase from 'better-sqlite3';
import CipherDatabase from 'better-sqlite3-multiple-ciphers';
import type { SyncChangesResponse } from '../shared/contract/central-api';
import { createCardQuery } from '../db/cache/card-query';
import { migrateToLatest } from '../db/cache/migrations';
import { encryptPlainCache, openCache, type CacheDb } from '../db/cache/open-cache';
import { createChangeApplier } from '../db/replica/apply-changes';
import { DEMO_OFFERS } from '../server/seed/demo-offers';
import { DEMO_REFERENCE_DATE, DEMO_SEED, demoCustomerId, generateDemoCustomer } from '../server/seed/demo-customers';
import { benchRows, sampleIndexes, samplePhones } from './support/book';
import { fillDeskCache } from './support/desk-cache-fixture';
import { measurement, okResult, type BenchResult } from './support/result';
import { createScratchDir } from './support/scratch-dir';
import { elapsedMs, percentile } from './support/stats';
import { isMainModule, progress, runStandalone } from './support/standalone';

const ID = 'cipher-cost';
const TITLE = 'Desk cache encryption cost';
const LOOKUPS_PER_ROUND = 5_000;
const ROUNDS = 5;
const SYNC_PAGE_ROWS = 5_000;
/** The SQLCipher-scheme comparison's key: raw 256 bits in SQLCipher's x'…' form. */
const SQLCIPHER_KEY = `x'${'5a'.repeat(32)}'`;

type DatabaseClass = new (file: string) => CacheDb;

interface Variant {
  name: string;
  label: string;
  /** Opens a copy of the plain cache as this variant keeps it, encrypting it first where it is encrypted; answers the seconds that took. */
  open(file: string): Promise<{ db: CacheDb; encryptSeconds: number | null }>;
}

/** Opens a cache file as the desk did before the encryption (WAL, synchronous FULL, foreign keys), keyed first for the SQLCipher scheme. */
function openLikeTheDesk(Database: DatabaseClass, file: string, cipher: string | null): CacheDb {
  const db = new Database(file);
  if (cipher !== null) {
    db.pragma(`cipher = '${cipher}'`);
    db.pragma(`key = "${SQLCIPHER_KEY}"`);
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  migrateToLatest(db);
  return db;
}

/** Encrypts a copy of the plain cache in place with the SQLCipher scheme (rekey refuses WAL mode); answers the seconds it took. */
function encryptWithSqlcipherScheme(file: string): number {
  const started = performance.now();
  const db = new CipherDatabase(file);
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma(`rekey = "${SQLCIPHER_KEY}"`);
  } finally {
    db.close();
  }
  return elapsedMs(started) / 1000;
}

/** One page of the change feed: SYNC_PAGE_ROWS customers renamed (new versions), as a month close or an import sends them. */
function syncPage(rows: number, cursor: number, round: number): SyncChangesResponse {
  const indexes = sampleIndexes(SYNC_PAGE_ROWS, rows, 0xc1f0 + round);
  const changes = indexes.map((index, i) => {
    const customer = generateDemoCustomer(index, DEMO_SEED);
    const version = customer.version + round + 1;
    return {
      seq: cursor + i + 1,
      op: 'upsert' as const,
      entity: 'customer' as const,
      id: demoCustomerId(index),
      version,
      data: { ...customer, name: `${customer.name}${round}`, version },
    };
  });
  return { changes, nextCursor: cursor + changes.length, hasMore: false };
}

export async function runCipherCostBench(): Promise<BenchResult> {
  const started = performance.now();
  const rows = benchRows();
  const deskKey = randomBytes(32).toString('hex');
  const variants: Variant[] = [
    {
      name: 'plain',
      label: 'before: better-sqlite3, plain file',
      open: async (file) => ({ db: openLikeTheDesk(PlainDatabase as unknown as DatabaseClass, file, null), encryptSeconds: null }),
    },
    {
      name: 'buildOnly',
      label: 'the same build without a key (openCache, plain file): the build apart from the cipher',
      open: async (file) => ({ db: openCache(file), encryptSeconds: null }),
    },
    {
      name: 'desk',
      label: 'the desk cache now: multiple-ciphers, ChaCha20-Poly1305 (openCache with its key)',
      // The desk's own path: encryptPlainCache checks the plain file and encrypts it in place, then openCache opens it with the key.
      open: async (file) => {
        const started = performance.now();
        await encryptPlainCache(file, { key: deskKey });
        const db = openCache(file, { key: deskKey });
        return { db, encryptSeconds: elapsedMs(started) / 1000 };
      },
    },
    {
      name: 'sqlcipher',
      label: 'not chosen: multiple-ciphers, SQLCipher v4 scheme (AES-256-CBC + HMAC-SHA512)',
      open: async (file) => {
        const encryptSeconds = encryptWithSqlcipherScheme(file);
        return { db: openLikeTheDesk(CipherDatabase as unknown as DatabaseClass, file, 'sqlcipher'), encryptSeconds };
      },
    },
  ];
  const scratch = createScratchDir('clm-cipher-cost-');
  try {
    const plainFile = path.join(scratch.path, 'plain.sqlite');
    progress(ID, `filling a cache of ${rows} customers`);
    const fixture = await fillDeskCache(plainFile, rows, { plain: true });
    const rekeySeconds: Record<string, number> = {};
    const dbs = new Map<string, CacheDb>();
    for (const variant of variants) {
      const file = path.join(scratch.path, `${variant.name}.sqlite`);
      if (file !== plainFile) copyFileSync(plainFile, file);
      const { db, encryptSeconds } = await variant.open(file);
      if (encryptSeconds !== null) rekeySeconds[variant.name] = encryptSeconds;
      dbs.set(variant.name, db);
      if (db.prepare('SELECT count(*) FROM customers').pluck().get() !== rows) throw new Error(`the ${variant.name} copy lost rows`);
    }
    // The key is really needed: the desk's file without it is not a database.
    const keyless = new CipherDatabase(path.join(scratch.path, 'desk.sqlite'));
    const readableWithoutKey = (() => {
      try {
        keyless.prepare('SELECT count(*) FROM customers').get();
        return true;
      } catch {
        return false;
      } finally {
        keyless.close();
      }
    })();
    if (readableWithoutKey) throw new Error('the encrypted desk cache opened without its key');

    const now = new Date(DEMO_REFERENCE_DATE);
    const call = { channel: 'hotline', callId: 'bench-call' } as const;
    const lookupMicros: Record<string, number[]> = {};
    const syncMs: Record<string, number[]> = {};
    const cardQueries = new Map(variants.map((v) => [v.name, createCardQuery(dbs.get(v.name)!)]));
    const appliers = new Map(variants.map((v) => [v.name, createChangeApplier(dbs.get(v.name)!)]));
    for (let round = 0; round < ROUNDS; round += 1) {
      const phones = samplePhones(LOOKUPS_PER_ROUND, rows, 0x21c + round);
      const page = syncPage(rows, fixture.cursor + round * SYNC_PAGE_ROWS, round);
      // Rotated each round so no variant always runs first after a context switch.
      const order = [...variants.slice(round % variants.length), ...variants.slice(0, round % variants.length)];
      for (const variant of order) {
        const cards = cardQueries.get(variant.name)!;
        const samples = (lookupMicros[variant.name] ??= []);
        for (const phone of phones) {
          const t = performance.now();
          if (cards.cardByPhone(phone, now, call).customer == null) throw new Error(`no card for a book number (${variant.name})`);
          samples.push(elapsedMs(t) * 1000);
        }
        const t = performance.now();
        appliers.get(variant.name)!(page);
        (syncMs[variant.name] ??= []).push(elapsedMs(t));
      }
      progress(ID, `round ${round + 1}/${ROUNDS}`);
    }
    for (const db of dbs.values()) db.close();

    const base = variants[0]!;
    const measurements = variants.flatMap((variant) => {
      const lookups = lookupMicros[variant.name]!;
      const pages = syncMs[variant.name]!;
      const rows = [
        { metric: `card lookup p50 — ${variant.label}`, value: percentile(lookups, 50), unit: 'µs', base: percentile(lookupMicros[base.name]!, 50) },
        { metric: `card lookup p95 — ${variant.label}`, value: percentile(lookups, 95), unit: 'µs', base: percentile(lookupMicros[base.name]!, 95) },
        {
          metric: `sync page of ${SYNC_PAGE_ROWS} rows (median) — ${variant.label}`,
          value: percentile(pages, 50),
          unit: 'ms',
          base: percentile(syncMs[base.name]!, 50),
        },
      ];
      return [
        ...rows.map(({ base: baseValue, ...m }) =>
          measurement(variant === base ? m : { ...m, baseline: { label: base.label, value: baseValue, unit: m.unit } }),
        ),
        ...(variant.name in rekeySeconds
          ? [
              measurement({
                metric: `encrypting the existing plain cache once (check + rekey) — ${variant.label}`,
                value: rekeySeconds[variant.name]!,
                unit: 's',
              }),
            ]
          : []),
      ];
    });
    return okResult(ID, TITLE, started, {
      notes: [
        `${rows} customers, ${DEMO_OFFERS.length} offers; ${ROUNDS} rounds of ${LOOKUPS_PER_ROUND} lookups and one sync page each, variants interleaved, all with synchronous=FULL; Node ${process.version}`,
      ],
      measurements,
    });
  } finally {
    scratch.remove();
  }
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, runCipherCostBench);
