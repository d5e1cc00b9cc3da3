// What encrypting the desk cache at rest would cost (issue 21 §4): the card lookup (p50/p95 per call)
// and applying one sync page of 5,000 customer changes, on today's better-sqlite3 against
// better-sqlite3-multiple-ciphers (SQLite3MultipleCiphers, the same API) without a key, with its
// default cipher (ChaCha20-Poly1305) and with SQLCipher's AES-256 scheme, in one run over copies of
// one cache filled through the desk's own snapshot bootstrap. Also the one-off cost of encrypting
// an existing cache in place (PRAGMA rekey), which every desk would pay once at the switch.
//
// The cipher package is not a project dependency (switching is the lead's decision): the benchmark
// runs when CLM_CIPHER_MODULE names an installed copy (or the package resolves), and reports
// "not available" otherwise. Nothing here asserts a time.
//   mkdir /tmp/cipher-eval && cd /tmp/cipher-eval && npm_config_nodedir=/usr npm install better-sqlite3-multiple-ciphers@12.11.1
//   CLM_CIPHER_MODULE=/tmp/cipher-eval/node_modules/better-sqlite3-multiple-ciphers npx tsx bench/cipher-cost.ts
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PlainDatabase from 'better-sqlite3';
import type { SyncChangesResponse } from '../shared/contract/central-api';
import { createCardQuery } from '../db/cache/card-query';
import { migrateToLatest } from '../db/cache/migrations';
import type { CacheDb } from '../db/cache/open-cache';
import { createChangeApplier } from '../db/replica/apply-changes';
import { DEMO_OFFERS } from '../server/seed/demo-offers';
import { DEMO_REFERENCE_DATE, DEMO_SEED, demoCustomerId, generateDemoCustomer } from '../server/seed/demo-customers';
import { sampleIndexes, samplePhones } from './support/book';
import { fillDeskCache } from './support/desk-cache-fixture';
import type { BenchResult } from './support/result';
import { createScratchDir } from './support/scratch-dir';
import { elapsedMs, percentile } from './support/stats';
import { isMainModule, progress, runStandalone } from './support/standalone';

const ID = 'cipher-cost';
const TITLE = 'Desk cache encryption cost';
const DEFAULT_ROWS = 200_000;
const LOOKUPS_PER_ROUND = 5_000;
const ROUNDS = 5;
const SYNC_PAGE_ROWS = 5_000;
/** A raw 256-bit key as the OS keychain would hand it back (hex); any fixed value keeps runs comparable. */
const KEY = `x'${'5a'.repeat(32)}'`;

type DatabaseClass = new (file: string) => CacheDb;

interface Variant {
  name: string;
  label: string;
  Database: DatabaseClass;
  /** The cipher scheme (PRAGMA cipher) and key; none for a plain file. */
  cipher: string | null;
}

/** The cipher package, from CLM_CIPHER_MODULE or the project's resolution; null when it is not installed. */
function loadCipherDatabase(): DatabaseClass | null {
  const require = createRequire(import.meta.url);
  try {
    return require(process.env.CLM_CIPHER_MODULE ?? 'better-sqlite3-multiple-ciphers') as DatabaseClass;
  } catch {
    return null;
  }
}

/** Opens a cache file as the desk does (WAL, synchronous FULL, foreign keys), keyed first when the variant is encrypted. */
function openVariant(variant: Variant, file: string): CacheDb {
  const db = new variant.Database(file);
  if (variant.cipher !== null) {
    db.pragma(`cipher = '${variant.cipher}'`);
    db.pragma(`key = "${KEY}"`);
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  migrateToLatest(db);
  return db;
}

/** Encrypts a copy of the plain cache in place, as a desk would at the switch; answers the seconds it took. */
function encryptInPlace(variant: Variant, file: string): number {
  const started = performance.now();
  const db = new variant.Database(file);
  try {
    // rekey rewrites every page; SQLite3MultipleCiphers refuses it in WAL mode.
    db.pragma('journal_mode = DELETE');
    db.pragma(`cipher = '${variant.cipher}'`);
    db.pragma(`rekey = "${KEY}"`);
    db.pragma('journal_mode = WAL');
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
  const CipherDatabase = loadCipherDatabase();
  if (CipherDatabase === null) {
    return {
      id: ID,
      title: TITLE,
      status: 'not available',
      reason: 'better-sqlite3-multiple-ciphers is not installed (set CLM_CIPHER_MODULE to an installed copy; see the head of bench/cipher-cost.ts)',
      seconds: elapsedMs(started) / 1000,
      notes: [],
      measurements: [],
    };
  }
  const rows = Number(process.env.CLM_CIPHER_BENCH_ROWS ?? DEFAULT_ROWS);
  const variants: Variant[] = [
    { name: 'plain', label: 'today: better-sqlite3, plain file', Database: PlainDatabase as unknown as DatabaseClass, cipher: null },
    { name: 'mcPlain', label: 'multiple-ciphers build, no key', Database: CipherDatabase, cipher: null },
    { name: 'chacha20', label: 'multiple-ciphers, ChaCha20-Poly1305 (default)', Database: CipherDatabase, cipher: 'chacha20' },
    { name: 'sqlcipher', label: 'multiple-ciphers, SQLCipher v4 (AES-256-CBC + HMAC-SHA512)', Database: CipherDatabase, cipher: 'sqlcipher' },
  ];
  const scratch = createScratchDir('clm-cipher-cost-');
  try {
    const plainFile = path.join(scratch.path, 'plain.sqlite');
    progress(ID, `filling a cache of ${rows} customers`);
    const fixture = await fillDeskCache(plainFile, rows);
    const rekeySeconds: Record<string, number> = {};
    const dbs = new Map<string, CacheDb>();
    for (const variant of variants) {
      const file = path.join(scratch.path, `${variant.name}.sqlite`);
      if (file !== plainFile) copyFileSync(plainFile, file);
      if (variant.cipher !== null) rekeySeconds[variant.name] = encryptInPlace(variant, file);
      dbs.set(variant.name, openVariant(variant, file));
    }
    const encrypted = dbs.get('sqlcipher')!;
    // The key is really needed: the same file without it is not a database.
    const keyless = new CipherDatabase(path.join(scratch.path, 'sqlcipher.sqlite'));
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
    if (readableWithoutKey) throw new Error('the encrypted cache opened without its key');
    if (encrypted.prepare('SELECT count(*) FROM customers').pluck().get() !== rows) throw new Error('the encrypted copy lost rows');

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
          variant === base ? m : { ...m, baseline: { label: base.label, value: baseValue, unit: m.unit }, ratio: m.value / baseValue },
        ),
        ...(variant.name in rekeySeconds
          ? [{ metric: `encrypting the existing cache once (rekey) — ${variant.label}`, value: rekeySeconds[variant.name]!, unit: 's' }]
          : []),
      ];
    });
    return {
      id: ID,
      title: TITLE,
      status: 'ok',
      seconds: elapsedMs(started) / 1000,
      notes: [
        `${rows} customers, ${DEMO_OFFERS.length} offers; ${ROUNDS} rounds of ${LOOKUPS_PER_ROUND} lookups and one sync page each, variants interleaved; Node ${process.version}`,
      ],
      measurements,
    };
  } finally {
    scratch.remove();
  }
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, runCipherCostBench);
