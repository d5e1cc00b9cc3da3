// One seeded run of the fault-injection simulation: the REAL desk backend (createDeskBackend on a
// real better-sqlite3 file) against the REAL central API (createCentralApi on PGlite), through a
// network that drops, duplicates, delays, reorders, times out and fails requests, with server
// restarts and desk crashes (the backend abandoned without close(), a new one opened on the same
// file) at step boundaries, including right after the server committed an outcome batch whose
// acknowledgement the desk never applied. Then faults stop, the desk syncs until quiet, and the
// run is checked against the invariants of the sync protocol (../shared/engineering-notes.md).
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import Database from 'better-sqlite3';
import { createDeskBackend, type DeskBackend } from '../../../desk-backend/desk-backend';
import type { DeskInput, DeskResult, SyncStatus } from '../../../shared/contract/desk-api';
import { DECLINE_REASONS, NOT_PRESENTED_REASONS, OUTCOME_RESULTS } from '../../../shared/contract/outcomes';
import type { Customer, SyncEntity } from '../../../shared/contract/entities';
import { maskIdNumber } from '../../../shared/domain/masking';
import { OPERATOR_UTC_OFFSET, operatorDateDaysBefore } from '../../../shared/domain/operator-time';
import { seesIdNumbers } from '../../../server/http/id-number-masking';
import { seededRandom, type SeededRandom } from '../../../server/seed/seeded-random';
import { SYNCED_TABLES } from '../../../server/sync/synced-tables';
import { CACHE_TABLES } from '../../../db/replica/cache-tables';
import { deleteSyncedRow, upsertCustomers, upsertOffers, upsertScores } from '../../../server/sync/change-log';
import { FAULTS, createFaultNetwork, type Fault, type FaultNetwork } from './fault-network';
import { SIM_USER, type SimBook, type SimCentralApi } from './sim-central-api';

export interface RunResult {
  run: number;
  recorded: number;
  /** Recorded on the desk, yet neither on the server nor rightly dead-lettered. */
  lost: string[];
  /** On the server more than once, or on the server without having been recorded. */
  duplicated: string[];
  deadLettered: number;
  /** Broken convergence invariants (cursor, outbox, mirror rows), in words. */
  diverged: string[];
  crashes: number;
  /** Of those, crashes right after the server committed a batch the desk never heard back about. */
  crashesAfterCommit: number;
  restarts: number;
  faults: Record<Fault, number>;
  trace: string[];
}

// The engine's timers never fire: the simulation decides when anything syncs.
const NEVER_MS = 1_000_000_000;
// Nothing listens there: the CTI WebSocket (not part of this simulation) fails fast and retries quietly.
const CTI_NOWHERE = 'http://127.0.0.1:1';
const MAX_SETTLE_ROUNDS = 200;
const MAX_DRIVE_TURNS = 10_000;

const STEP_WEIGHTS = [
  ['record', 28],
  ['sync', 10],
  ['serverChange', 12],
  ['deliver', 38],
  ['crash', 3],
  ['crashAfterCommit', 3],
  ['restart', 2],
] as const;
const FAULT_WEIGHTS: Record<Fault, number> = {
  none: 50,
  drop_request: 7,
  drop_response: 8,
  duplicate: 7,
  server_error: 6,
  timeout_before: 5,
  timeout_after: 6,
  unauthorized: 4,
  delay: 7,
};

function weighted<T extends string>(random: SeededRandom, weights: readonly (readonly [T, number])[]): T {
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  let roll = random.int(0, total - 1);
  for (const [value, weight] of weights) {
    if (roll < weight) return value;
    roll -= weight;
  }
  throw new Error('unreachable');
}

/** Lets the desk run until it waits on the network again (SQLite is synchronous; only fetch waits). */
async function quiesce(): Promise<void> {
  for (let i = 0; i < 4; i++) await new Promise((resolve) => setImmediate(resolve));
}

function randomDraft(random: SeededRandom, book: SimBook): DeskInput<'outcome/record'> {
  const customer = random.pick(book.customers);
  const result = random.pick(OUTCOME_RESULTS);
  return {
    callId: random.chance(0.8) ? `sim-call-${random.int(1, 1e6)}` : null,
    customerId: random.chance(0.9) ? customer.id : null,
    phone: random.chance(0.5) ? customer.phone : null,
    offerId: result === 'not_presented' && random.chance(0.5) ? null : random.pick(book.offers).id,
    result,
    note: random.chance(0.3) ? `note ${random.int(1, 999)}` : '',
    channel: random.pick(['hotline', 'store', 'outbound'] as const),
    // Tomorrow 10:00 on the operator's clock: inside contact hours at any time of day the test runs
    // (now + 24 h fell outside them once the run started after 21:00 China time).
    callbackAt: result === 'callback' ? new Date(`${operatorDateDaysBefore(new Date(), -1)}T10:00:00${OPERATOR_UTC_OFFSET}`).toISOString() : null,
    declineReason: result === 'declined' ? random.pick(DECLINE_REASONS) : null,
    notPresentedReason: result === 'not_presented' ? random.pick(NOT_PRESENTED_REASONS) : null,
  };
}

/** A server-side change through the change log, as the analytics jobs and back office make them. */
async function serverChange(server: SimCentralApi, random: SeededRandom, deletedOffers: Set<string>): Promise<string> {
  const customer = random.pick(server.book.customers);
  const score = server.book.scores.find((s) => s.customerId === customer.id);
  const offer = random.pick(server.book.offers);
  const kind = random.int(0, 9);
  await server.db.transaction(async (tx) => {
    if (kind <= 3) await upsertCustomers(tx, [{ ...customer, name: `${customer.name}${random.int(1, 99)}`, monthlyFee: random.int(8, 300) }]);
    else if (kind <= 6 && score !== undefined) await upsertScores(tx, [{ ...score, churnProbability: random.float(0, 1) }]);
    else if (kind <= 6) await upsertCustomers(tx, [{ ...customer, complaints30d: random.int(0, 5) }]);
    else if (kind <= 7) await upsertOffers(tx, [{ ...offer, valueYuan: random.int(10, 900) }]);
    else if (kind === 8) {
      await deleteSyncedRow(tx, 'offer', offer.id);
      deletedOffers.add(offer.id);
    } else await deleteSyncedRow(tx, 'customer', customer.id);
  });
  return ['customer', 'customer', 'customer', 'customer', 'score', 'score', 'score', 'offer', 'delete offer', 'delete customer'][kind]!;
}

interface CacheSnapshot {
  deviceId: string;
  cursor: number;
  outbox: number;
  dead: { outcome_id: string; code: string }[];
  rows: Map<string, { version: number; data: unknown }>;
}

/** Every synced table as [entity, table, key column]: the desk and the server name them alike. */
const MIRRORED = Object.values(SYNCED_TABLES).map((t) => [t.entity, t.table, t.keyColumn] as const);

/** The sim agent's role sees masked ID numbers in the feed: the server row as the desk must hold it. */
function asSyncedToAgent(entity: SyncEntity, data: unknown): unknown {
  if (entity !== 'customer' || seesIdNumbers('agent')) return data;
  const customer = data as Customer;
  return { ...customer, idNumber: maskIdNumber(customer.idNumber) };
}

function readCache(path: string): CacheSnapshot {
  const db = new Database(path, { readonly: true });
  try {
    const state = (key: string) => db.prepare<[string], { value: unknown }>('SELECT value FROM sync_state WHERE key = ?').get(key)?.value;
    const rows = new Map<string, { version: number; data: unknown }>();
    // The desk's own table names (the server's usage windows table is the desk's `usage`).
    for (const [entity, { table, key }] of Object.entries(CACHE_TABLES))
      for (const row of db.prepare<[], { id: string; version: number; data: string }>(`SELECT ${key} AS id, version, data FROM ${table}`).all())
        rows.set(`${entity}:${row.id}`, { version: row.version, data: JSON.parse(row.data) });
    return {
      deviceId: String(state('device_id')),
      cursor: Number(state('cursor') ?? 0),
      outbox: db.prepare<[], number>('SELECT count(*) FROM outbox').pluck().get() ?? 0,
      dead: db.prepare<[], { outcome_id: string; code: string }>('SELECT outcome_id, code FROM outbox_dead').all(),
      rows,
    };
  } finally {
    db.close();
  }
}

/** The highest change seq the server has handed out: where a caught-up cursor stands. */
async function serverHead(server: SimCentralApi): Promise<number> {
  const [row] = await server.db.query<{ head: number }>(
    `SELECT greatest(${MIRRORED.map(([, table]) => `(SELECT max(change_seq) FROM ${table})`).join(', ')}) AS head`,
  );
  return row?.head ?? 0;
}

async function readServer(server: SimCentralApi, deviceId: string) {
  const outcomes = await server.db.query<{ outcome_id: string; n: number }>(
    'SELECT outcome_id::text, count(*)::int AS n FROM outcomes WHERE device_id = $1 GROUP BY outcome_id',
    [deviceId],
  );
  const rows = new Map<string, { version: number; data: unknown }>();
  for (const [entity, table, key] of MIRRORED) {
    for (const row of await server.db.query<{ id: string; version: number; data: unknown }>(
      `SELECT ${key} AS id, version, data FROM ${table} WHERE NOT deleted`,
    ))
      rows.set(`${entity}:${row.id}`, { version: row.version, data: asSyncedToAgent(entity, row.data) });
  }
  return { outcomes, rows, head: await serverHead(server) };
}

/** Delivers the desk's requests without faults until `pending` (which waits on them) settles. */
async function deliverFaithfullyUntil<T>(network: FaultNetwork, pending: Promise<T>, what: string): Promise<T> {
  const outcome: { done: boolean; value?: T } = { done: false };
  void pending.then((value) => Object.assign(outcome, { done: true, value }));
  for (let turn = 0; !outcome.done; turn++) {
    if (turn > MAX_DRIVE_TURNS) throw new Error(`${what} never finished`);
    if (network.queued().length > 0) await network.deliver(0, 'none');
    await quiesce();
  }
  return outcome.value as T;
}

export async function simulateRun(server: SimCentralApi, seed: number, run: number, dir: string): Promise<RunResult> {
  await server.resetBook();
  const random = seededRandom(seed, run);
  const network: FaultNetwork = createFaultNetwork(server.app);
  const cachePath = join(dir, `run-${run}.sqlite`);
  const trace: string[] = [];
  const cursors: number[] = [];
  const backends: DeskBackend[] = [];
  const recorded: { outcomeId: string; offerId: string | null }[] = [];
  const deletedOffers = new Set<string>();
  let crashes = 0;
  let restarts = 0;
  let generation = 0;
  // Changed from promise callbacks, so kept in an object (TypeScript would narrow a plain let).
  const state = { session: 'out' as 'out' | 'pending' | 'in' };

  // The desk is opened and its background cache check awaited before the run goes on: the check
  // runs on a worker thread, which the simulation's network-driven turns would otherwise outrun.
  const openDesk = async (): Promise<DeskBackend> => {
    generation += 1;
    const gen = generation;
    const backend = createDeskBackend({
      cachePath,
      apiUrl: CTI_NOWHERE,
      fetch: network.fetchFor(gen),
      pullIntervalMs: NEVER_MS,
      uploadIntervalMs: NEVER_MS,
      retryBackoff: { baseMs: 0, capMs: 0 },
      healthReportIntervalMs: NEVER_MS,
      logger: { warn: () => undefined },
    });
    backend.onEvent((event) => {
      if (gen === generation && event.type === 'sync') cursors.push(event.status.cursor);
    });
    backends.push(backend);
    state.session = 'out';
    await backend.cacheChecked;
    return backend;
  };
  let desk = await openDesk();

  const startLogin = () => {
    const gen = generation;
    state.session = 'pending';
    void desk.invoke('session/login', SIM_USER).then((result) => {
      if (gen === generation) state.session = result.ok ? 'in' : 'out';
    });
  };
  /** A session whose refresh was refused must log in again (its outbox waits meanwhile). */
  const noteRefusal = (gen: number, result: DeskResult<unknown>) => {
    if (gen !== generation || !result.ok) return;
    if ((result.value as SyncStatus).lastError?.includes('log in again')) state.session = 'out';
  };
  const startSync = () => {
    const gen = generation;
    void desk.invoke('sync/now', {}).then((result) => noteRefusal(gen, result));
  };
  const crash = async (why: string) => {
    network.crash(generation);
    crashes += 1;
    trace.push(`crash (${why})`);
    desk = await openDesk();
  };

  const steps = random.int(20, 60);
  for (let step = 0; step < steps; step++) {
    if (state.session === 'out') startLogin();
    const action = weighted(random, STEP_WEIGHTS);
    const queue = network.queued();
    switch (action) {
      case 'record': {
        if (state.session !== 'in') break;
        const draft = randomDraft(random, server.book);
        const result = await desk.invoke('outcome/record', draft);
        if (!result.ok) throw new Error(`outcome/record failed: ${result.error.code} ${result.error.message}`);
        recorded.push({ outcomeId: (result.value as { outcomeId: string }).outcomeId, offerId: draft.offerId ?? null });
        trace.push('record');
        break;
      }
      case 'sync':
        if (state.session === 'in') startSync();
        trace.push('sync');
        break;
      case 'serverChange':
        trace.push(`server ${await serverChange(server, random, deletedOffers)}`);
        break;
      case 'deliver': {
        if (queue.length === 0) break;
        const index = random.int(0, queue.length - 1);
        const fault = weighted(
          random,
          FAULTS.map((f) => [f, FAULT_WEIGHTS[f]] as const),
        );
        trace.push(`deliver ${queue[index]!.request.method} ${queue[index]!.request.path.split('?')[0]} ${fault}`);
        await network.deliver(index, fault);
        break;
      }
      case 'crash':
        await crash('at a step boundary');
        break;
      case 'crashAfterCommit': {
        const batch = queue.findIndex((q) => q.desk === generation && q.request.path === '/outcomes/batch');
        if (batch < 0) break;
        // The server commits the batch; the desk dies before it hears back.
        await network.commitWithoutAnswer(batch);
        await crash('after the server committed an outcome batch');
        break;
      }
      case 'restart':
        await server.restart();
        restarts += 1;
        trace.push('server restart');
        break;
    }
    await quiesce();
  }

  // Settle: no more faults; deliver everything and sync until the desk is quiet.
  let settled: SyncStatus | null = null;
  for (let round = 0; round < MAX_SETTLE_ROUNDS && settled === null; round++) {
    while (network.queued().length > 0) {
      await network.deliver(0, 'none');
      await quiesce();
    }
    if (state.session === 'out') startLogin();
    if (state.session !== 'in') {
      await quiesce();
      continue;
    }
    const gen = generation;
    const result = await deliverFaithfullyUntil(network, desk.invoke('sync/now', {}), `run ${run}: sync/now`);
    noteRefusal(gen, result);
    if (!result.ok || state.session !== 'in') continue;
    const status = result.value as SyncStatus;
    const quiet = status.outboxPending === 0 && status.lastError === null && network.queued().length === 0;
    if (quiet && status.cursor === (await serverHead(server))) settled = status;
  }

  await desk.close();
  network.releaseCrashed();
  for (const backend of backends) await backend.close();

  const cache = readCache(cachePath);
  const onServer = await readServer(server, cache.deviceId);
  const result: RunResult = {
    run,
    recorded: recorded.length,
    lost: [],
    duplicated: [],
    deadLettered: cache.dead.length,
    diverged: [],
    crashes,
    crashesAfterCommit: trace.filter((t) => t.startsWith('crash (after')).length,
    restarts,
    faults: network.stats,
    trace,
  };

  const serverCount = new Map(onServer.outcomes.map((o) => [o.outcome_id, o.n]));
  const dead = new Map(cache.dead.map((d) => [d.outcome_id, d.code]));
  const recordedIds = new Set(recorded.map((r) => r.outcomeId));
  for (const { outcomeId, offerId } of recorded) {
    const n = serverCount.get(outcomeId) ?? 0;
    const deadCode = dead.get(outcomeId);
    // Dead-lettered is right only for an outcome about an offer the server retired meanwhile.
    const rightlyDead = deadCode === 'unknown_offer' && offerId !== null && deletedOffers.has(offerId);
    if (n === 0 && !rightlyDead) result.lost.push(outcomeId);
    if (n > 1) result.duplicated.push(outcomeId);
    if (n > 0 && deadCode !== undefined) result.diverged.push(`${outcomeId} is on the server and dead-lettered`);
  }
  for (const id of serverCount.keys()) if (!recordedIds.has(id)) result.duplicated.push(id);

  if (settled === null) result.diverged.push(`did not settle within ${MAX_SETTLE_ROUNDS} rounds`);
  if (cache.outbox !== 0) result.diverged.push(`outbox still holds ${cache.outbox} item(s)`);
  if (cache.cursor !== onServer.head) result.diverged.push(`cursor ${cache.cursor} != server head ${onServer.head}`);
  const backwards = cursors.findIndex((c, i) => i > 0 && c < cursors[i - 1]!);
  if (backwards >= 0) result.diverged.push(`cursor moved backwards: ${cursors[backwards - 1]} -> ${cursors[backwards]}`);
  for (const key of new Set([...cache.rows.keys(), ...onServer.rows.keys()])) {
    if (!isDeepStrictEqual(cache.rows.get(key), onServer.rows.get(key))) result.diverged.push(`cache row ${key} differs from the server`);
  }
  return result;
}
