// Learning from stored outcomes one transaction at a time (server/outcomes/learning.ts): an upload
// that finds a learner under way leaves its outcomes to learn, and every outcome is learned from
// exactly once, whichever instance learns, even when a learner is killed half-way.
// Only a server with several connections can show it: PostgreSQL.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContactHistory, OfferStats } from '../../shared/contract/entities';
import type { Outcome } from '../../shared/contract/outcomes';
import { OUTCOME_LEARNING_LOCK } from '../../server/db/advisory-locks';
import { openPostgresClient } from '../../server/db/pg-client';
import type { SqlClient } from '../../server/db/sql-client';
import { learnLeftOvers } from '../../server/outcomes/learning';
import { UNKNOWN_SEGMENT } from '../../server/outcomes/offer-stats';
import { recordOutcomeBatch } from '../../server/outcomes/record-batch';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, createScratchDatabase } from '../support/scratch-postgres';
import { outcomeItem, startTestApi } from './support/test-api';

/** Holds the learning lock in a transaction of `db` until release(): a learner under way. */
function holdLearningLock(db: SqlClient) {
  let release!: () => void;
  const mayCommit = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const held = new Promise<void>((resolve) => (locked = resolve));
  const done = db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${OUTCOME_LEARNING_LOCK})`);
    locked();
    await mayCommit;
  });
  return { held, release, done };
}

describe.skipIf(!TEST_DATABASE_URL)(TEST_DATABASE_URL ? 'learning from stored outcomes (PostgreSQL)' : POSTGRES_SKIP_REASON, () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  // Two instances' connection pools on one database, without the API's timer (which would learn between the steps).
  let first: SqlClient;
  let second: SqlClient;

  beforeAll(async () => {
    scratch = await createScratchDatabase(TEST_DATABASE_URL!);
    await (await startTestApi({ databaseUrl: scratch.url, seedCustomers: 20 })).close();
    first = await openPostgresClient(scratch.url);
    second = await openPostgresClient(scratch.url);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await scratch?.drop();
  });

  async function statsOf(offerId: string): Promise<OfferStats | undefined> {
    const [row] = await first.query<{ data: unknown }>('SELECT data FROM offer_stats WHERE offer_id = $1', [offerId]);
    return row === undefined ? undefined : OfferStats.parse(row.data);
  }
  const presentedOf = async (offerId: string) => (await statsOf(offerId))?.segments[UNKNOWN_SEGMENT]?.presented ?? 0;
  async function contactsOf(customerId: string): Promise<string[]> {
    const [row] = await first.query<{ data: unknown }>('SELECT data FROM contact_history WHERE customer_id = $1', [customerId]);
    return row === undefined ? [] : ContactHistory.parse(row.data).contacts.map((c) => c.outcomeId);
  }
  const leftToLearn = async () => (await first.query<{ n: number }>('SELECT count(*)::int AS n FROM outcomes_to_learn'))[0]!.n;
  const learn = (db: SqlClient) => db.transaction((tx) => learnLeftOvers(tx));

  /** A learner on a session of its own that is terminated (as by a crash of its instance) after learning, before its commit. */
  async function killLearnerBeforeCommit() {
    const session = new pg.Client({ connectionString: scratch.url });
    const gone = new Promise<void>((resolve) => {
      session.on('error', () => resolve());
      session.on('end', () => resolve());
    });
    await session.connect();
    const tx: Pick<SqlClient, 'query'> = { query: async (sql, params) => (await session.query(sql, params === undefined ? [] : [...params])).rows };
    await session.query('BEGIN');
    await learnLeftOvers(tx as SqlClient);
    // In its own view it has taken them all.
    expect((await session.query<{ n: number }>('SELECT count(*)::int AS n FROM outcomes_to_learn')).rows[0]?.n).toBe(0);
    const [{ pid }] = (await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
    await first.query('SELECT pg_terminate_backend($1)', [pid]);
    await gone;
  }

  /** Uploads `items` while another transaction holds the learning lock: they are stored and left to learn. */
  async function uploadWhileLearnerBusy(deviceId: string, items: Outcome[]) {
    const learner = holdLearningLock(second);
    await learner.held;
    const answer = await recordOutcomeBatch(first, { deviceId, items }, 'agent01');
    expect(answer.results.map((r) => r.status)).toEqual(items.map(() => 'accepted'));
    learner.release();
    await learner.done;
  }

  it('leaves an upload to the learner under way, which then counts it once, and learning again adds nothing', async () => {
    const offerId = 'OFF-D-NETWORK-CARE';
    const customerId = 'CUS0000003';
    const before = await presentedOf(offerId);
    const contactsBefore = await contactsOf(customerId);
    const items = [
      outcomeItem('desk-left', 1, { offerId, customerId, result: 'declined' }),
      outcomeItem('desk-left', 2, { offerId, customerId, result: 'accepted' }),
    ];
    await uploadWhileLearnerBusy('desk-left', items);
    expect(await presentedOf(offerId)).toBe(before);
    expect(await contactsOf(customerId)).toEqual(contactsBefore);
    expect(await leftToLearn()).toBe(2);

    await learn(second);
    expect(await presentedOf(offerId)).toBe(before + 2);
    expect(await contactsOf(customerId)).toEqual(expect.arrayContaining(items.map((i) => i.outcomeId)));
    expect(await leftToLearn()).toBe(0);
    await learn(first);
    expect(await presentedOf(offerId)).toBe(before + 2);

    // The next upload that finds no learner under way learns itself, before it is answered.
    await recordOutcomeBatch(first, { deviceId: 'desk-left', items: [outcomeItem('desk-left', 3, { offerId, customerId, result: 'declined' })] }, 'agent01');
    expect(await presentedOf(offerId)).toBe(before + 3);
  });

  it('an upload that finds no learner under way also learns, once, what earlier uploads left', async () => {
    const offerId = 'OFF-C-CLOUD-STORAGE';
    const customerId = 'CUS0000005';
    const before = await presentedOf(offerId);
    const left = [1, 2].map((n) => outcomeItem('desk-left-earlier', n, { offerId, customerId, result: 'declined' }));
    await uploadWhileLearnerBusy('desk-left-earlier', left);
    expect(await leftToLearn()).toBe(2);

    const own = outcomeItem('desk-learns', 1, { offerId, customerId, result: 'accepted' });
    await recordOutcomeBatch(first, { deviceId: 'desk-learns', items: [own] }, 'agent01');
    expect(await leftToLearn()).toBe(0);
    expect(await presentedOf(offerId)).toBe(before + 3);
    expect(await contactsOf(customerId)).toEqual(expect.arrayContaining([...left, own].map((i) => i.outcomeId)));
    // Resent, the batch is a duplicate and teaches nothing again.
    const resent = await recordOutcomeBatch(first, { deviceId: 'desk-learns', items: [own] }, 'agent01');
    expect(resent.results.map((r) => r.status)).toEqual(['duplicate']);
    await learn(second);
    expect(await presentedOf(offerId)).toBe(before + 3);
  });

  it('loses and doubles nothing when a learner is killed after claiming the outcomes, before its commit', async () => {
    const offerId = 'OFF-B-5G-UPGRADE';
    const customerId = 'CUS0000004';
    const before = await statsOf(offerId);
    const contactsBefore = await contactsOf(customerId);
    const items = [1, 2, 3].map((n) => outcomeItem('desk-killed', n, { offerId, customerId, result: 'declined' }));
    await uploadWhileLearnerBusy('desk-killed', items);

    // It has claimed (deleted) the rows and rewritten the stats and the history, uncommitted, when its session dies.
    await killLearnerBeforeCommit();

    expect(await statsOf(offerId)).toEqual(before);
    expect(await contactsOf(customerId)).toEqual(contactsBefore);
    expect(await leftToLearn()).toBe(3);
    await learn(second);
    expect(await presentedOf(offerId)).toBe((before?.segments[UNKNOWN_SEGMENT]?.presented ?? 0) + 3);
    expect(await contactsOf(customerId)).toEqual(expect.arrayContaining(items.map((i) => i.outcomeId)));
    expect(await leftToLearn()).toBe(0);
  });

  it('counts every outcome once when two instances upload at once, each learning when it can', async () => {
    const offerId = 'OFF-D-RETENTION-DISCOUNT';
    const before = await presentedOf(offerId);
    const batches = Array.from({ length: 16 }, (_, b) => ({
      db: b % 2 === 0 ? first : second,
      deviceId: `desk-parallel-${b}`,
      items: [1, 2, 3].map((n) => outcomeItem(`desk-parallel-${b}`, n, { offerId, customerId: `CUS000001${b % 10}`, result: 'declined' })),
    }));
    const answers = await Promise.all(batches.map(({ db, deviceId, items }) => recordOutcomeBatch(db, { deviceId, items }, 'agent01')));
    expect(answers.flatMap((a) => a.results.map((r) => r.status))).toEqual(Array(48).fill('accepted'));
    // Whatever the uploads left, one more learner takes; then each outcome is in the counts and a history once.
    await learn(first);
    expect(await presentedOf(offerId)).toBe(before + 48);
    expect(await leftToLearn()).toBe(0);
    // Each customer's history holds each of its new contacts once (at most 6 each, within the 20 kept).
    const contacts = (await Promise.all([...new Set(batches.map((b) => b.items[0]!.draft.customerId!))].map(contactsOf))).flat();
    const uploaded = batches.flatMap((b) => b.items.map((i) => i.outcomeId));
    expect(contacts.filter((id) => uploaded.includes(id)).sort()).toEqual(uploaded.sort());
  });
});
