import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_VERSION, MIGRATIONS, buildNameKeysSql, currentVersion, updateToVersion } from '../../db/cache/migrations';
import { CUSTOMERS_WITH_UNSYNCED_EVENTS_SQL } from '../../db/cache/customer-event-overlay';
import { InteractionDiscard } from '../../shared/contract/interaction-audit';

const tables = (db: Database.Database) =>
  db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
const plan = (db: Database.Database, sql: string) =>
  db
    .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all()
    .map((row) => row.detail)
    .join(' | ');

describe('cache migrations', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
  });
  afterEach(() => db.close());

  it('are numbered 1..n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it('1: creates the mirror tables and sync_state, keeping value types', () => {
    updateToVersion(db, 1);
    expect(currentVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['customers', 'offers', 'scores', 'sync_state']);
    db.prepare("INSERT INTO sync_state (key, value) VALUES ('cursor', 42), ('device_id', '0123')").run();
    const values = db.prepare<[], { value: unknown }>('SELECT value FROM sync_state ORDER BY key').all();
    expect(values.map((v) => v.value)).toEqual([42, '0123']);
    db.prepare("INSERT INTO customers VALUES ('c1', '13800000001', 'A', 'X', 1, '{}')").run();
    expect(() => db.prepare("INSERT INTO customers VALUES ('c2', '13800000001', 'B', 'Y', 1, '{}')").run()).toThrow(/UNIQUE/);
    expect(plan(db, "SELECT data FROM customers WHERE phone = '13800000001'")).toMatch(/USING INDEX/);
  });

  it('2: adds outcomes, outbox and outbox_dead on top of version 1 without touching its rows', () => {
    updateToVersion(db, 1);
    db.prepare("INSERT INTO customers VALUES ('c1', '13800000001', 'A', 'X', 3, '{}')").run();
    db.prepare("INSERT INTO sync_state (key, value) VALUES ('cursor', 7)").run();

    updateToVersion(db, 2);
    expect(currentVersion(db)).toBe(2);
    expect(tables(db)).toEqual(['customers', 'offers', 'outbox', 'outbox_dead', 'outcomes', 'scores', 'sync_state']);
    expect(db.prepare('SELECT version FROM customers').pluck().get()).toBe(3);
    expect(db.prepare("SELECT value FROM sync_state WHERE key = 'cursor'").pluck().get()).toBe(7);
    expect(plan(db, "SELECT * FROM outcomes WHERE phone = '1' ORDER BY recorded_at DESC LIMIT 5")).toMatch(/outcomes_by_phone/);
    expect(plan(db, "SELECT * FROM outcomes WHERE customer_id = 'c' ORDER BY recorded_at DESC LIMIT 5")).toMatch(/outcomes_by_customer/);
    db.prepare("INSERT INTO outcomes VALUES ('o1', NULL, NULL, NULL, NULL, 'accepted', 'hotline', '', '2025-01-01T00:00:00Z', 'pending', '{}')").run();
    expect(() => db.prepare("UPDATE outcomes SET sync_state = 'lost' WHERE outcome_id = 'o1'").run()).toThrow(/CHECK/);
  });

  it('3: adds learning, contact, search, audit and answer-cache tables on top of version 2 with data, outbox intact', () => {
    updateToVersion(db, 2);
    db.prepare("INSERT INTO customers VALUES ('c1', '13800000001', '张三丰', '11010519800101123X', 3, '{}')").run();
    db.prepare("INSERT INTO customers VALUES ('c2', '13900000002', 'Li Lei', '110105198001011234', 1, '{}')").run();
    db.prepare(
      "INSERT INTO outcomes VALUES ('o1', 'c1', NULL, NULL, 'off-1', 'accepted', 'hotline', '', '2025-01-01T00:00:00Z', 'pending', '{\"x\":1}')",
    ).run();
    db.prepare("INSERT INTO outbox (outcome_id, client_seq, payload, attempts, next_attempt_at) VALUES ('o1', 1, '{\"x\":1}', 2, 5)").run();
    db.prepare("INSERT INTO sync_state (key, value) VALUES ('cursor', 9)").run();

    updateToVersion(db, 3);
    expect(currentVersion(db)).toBe(3);
    expect(tables(db)).toEqual([
      'audit_outbox',
      'contact_history',
      'customers',
      'name_key_positions',
      'name_keys',
      'offer_stats',
      'offers',
      'outbound_cache',
      'outbox',
      'outbox_dead',
      'outcomes',
      'report_cache',
      'scores',
      'sync_state',
    ]);
    expect(db.prepare('SELECT outcome_id, client_seq, payload, attempts, next_attempt_at FROM outbox').all()).toEqual([
      { outcome_id: 'o1', client_seq: 1, payload: '{"x":1}', attempts: 2, next_attempt_at: 5 },
    ]);
    expect(db.prepare("SELECT value FROM sync_state WHERE key = 'cursor'").pluck().get()).toBe(9);

    // Existing customers are searchable at once: reversed ID numbers and the name keys are backfilled.
    expect(db.prepare("SELECT id_number_reversed FROM customers WHERE id = 'c1'").pluck().get()).toBe('X32110100891501011');
    const keysOf = (id: string) => db.prepare<[string], string>('SELECT key FROM name_keys WHERE customer_id = ? ORDER BY key').pluck().all(id);
    expect(keysOf('c1')).toEqual(['三丰', '张三', '张三丰', '张丰'].sort());
    expect(keysOf('c2')).toContain('lilei');
    expect(keysOf('c2')).toContain('ilei');
    // The triggers keep the keys exact through renames and deletes.
    db.prepare("UPDATE customers SET name = '李四' WHERE id = 'c1'").run();
    expect(keysOf('c1')).toEqual(['四', '李', '李四'].sort());
    db.prepare("DELETE FROM customers WHERE id = 'c1'").run();
    expect(keysOf('c1')).toEqual([]);

    expect(plan(db, "SELECT id FROM customers WHERE id_number_reversed >= '4321' AND id_number_reversed < '4322'")).toMatch(/customers_by_reversed_id_number/);
    expect(plan(db, "SELECT id FROM customers WHERE name >= '张' AND name < '张z' ORDER BY name LIMIT 21")).toMatch(/customers_by_name/);
    expect(plan(db, "SELECT customer_id FROM name_keys WHERE key IN ('张三', '三')")).toMatch(/PRIMARY KEY|USING PRIMARY/);
    db.prepare("INSERT INTO audit_outbox (view_id, payload, next_attempt_at) VALUES ('v1', '{}', 1)").run();
    expect(() => db.prepare("INSERT INTO audit_outbox (view_id, payload, next_attempt_at) VALUES ('v1', '{}', 2)").run()).toThrow(/UNIQUE/);
  });

  it('4: adds the scoring bundle, customer events and their outbox on top of version 3 with data, outboxes intact', () => {
    updateToVersion(db, 3);
    db.prepare("INSERT INTO customers VALUES ('c1', '13800000001', '张三', '11010519800101123X', 3, '{}')").run();
    db.prepare("INSERT INTO outcomes VALUES ('o1', 'c1', NULL, NULL, NULL, 'accepted', 'hotline', '', '2025-01-01T00:00:00Z', 'pending', '{}')").run();
    db.prepare("INSERT INTO outbox (outcome_id, client_seq, payload, attempts, next_attempt_at) VALUES ('o1', 1, '{}', 1, 5)").run();
    db.prepare("INSERT INTO audit_outbox (view_id, payload, next_attempt_at) VALUES ('v1', '{}', 1)").run();
    db.prepare("INSERT INTO sync_state (key, value) VALUES ('cursor', 11)").run();

    updateToVersion(db, 4);
    expect(currentVersion(db)).toBe(4);
    expect(tables(db)).toEqual(expect.arrayContaining(['scoring_bundle', 'customer_events', 'event_outbox']));
    expect(db.prepare('SELECT outcome_id, attempts FROM outbox').all()).toEqual([{ outcome_id: 'o1', attempts: 1 }]);
    expect(db.prepare('SELECT view_id FROM audit_outbox').pluck().all()).toEqual(['v1']);
    expect(db.prepare("SELECT value FROM sync_state WHERE key = 'cursor'").pluck().get()).toBe(11);
    expect(db.prepare("SELECT count(*) FROM name_keys WHERE customer_id = 'c1'").pluck().get()).toBeGreaterThan(0);

    const insertEvent = db.prepare(
      "INSERT INTO customer_events (event_id, customer_id, call_id, kind, note, recorded_at, payload, state) VALUES (?, 'c1', NULL, 'complaint', '', '2025-01-01T00:00:00Z', '{}', ?)",
    );
    insertEvent.run('e1', 'pending');
    expect(() => insertEvent.run('e2', 'lost')).toThrow(/CHECK/);
    expect(db.prepare("SELECT applied_at_seq FROM customer_events WHERE event_id = 'e1'").pluck().get()).toBeNull();
    db.pragma('foreign_keys = ON');
    expect(() => db.prepare("INSERT INTO event_outbox (event_id, payload, next_attempt_at) VALUES ('nope', '{}', 1)").run()).toThrow(/FOREIGN KEY/);
    db.prepare("INSERT INTO event_outbox (event_id, payload, next_attempt_at) VALUES ('e1', '{}', 1)").run();
    expect(() => db.prepare("INSERT INTO event_outbox (event_id, payload, next_attempt_at) VALUES ('e1', '{}', 2)").run()).toThrow(/UNIQUE/);
    expect(plan(db, "SELECT kind FROM customer_events WHERE customer_id = 'c1' AND state = 'pending'")).toMatch(/customer_events_by_customer/);
  });

  it('5: name-key triggers stand aside while a snapshot bootstrap is under way, and keep working otherwise', () => {
    updateToVersion(db, 4);
    db.prepare("INSERT INTO customers VALUES ('c1', '13800000001', '张三丰', '11010519800101123X', 3, '{}')").run();
    updateToVersion(db, 5);
    const keysOf = (id: string) => db.prepare('SELECT key FROM name_keys WHERE customer_id = ? ORDER BY key').pluck().all(id);
    expect(keysOf('c1')).toEqual(['三丰', '张三', '张三丰', '张丰']);

    db.prepare("INSERT INTO sync_state (key, value) VALUES ('snapshot_progress', '{}')").run();
    db.prepare("INSERT INTO customers VALUES ('c2', '13900000002', '李雷', '110105198001011234', 1, '{}')").run();
    db.prepare("UPDATE customers SET name = '张三' WHERE id = 'c1'").run();
    expect(keysOf('c2')).toEqual([]);
    expect(keysOf('c1')).toEqual(['三丰', '张三', '张三丰', '张丰']);

    db.prepare("UPDATE sync_state SET value = NULL WHERE key = 'snapshot_progress'").run();
    db.prepare("INSERT INTO customers VALUES ('c3', '13900000003', '韩梅梅', '110105198001011235', 1, '{}')").run();
    db.prepare("DELETE FROM customers WHERE id = 'c1'").run();
    expect(keysOf('c3')).toEqual(['梅梅', '韩梅', '韩梅梅']);
    // What the triggers skipped during the bootstrap, its last page rebuilds from the rows.
    db.exec(buildNameKeysSql);
    expect(keysOf('c1')).toEqual([]);
    expect(keysOf('c2')).toContain('李雷');
    expect(keysOf('c3')).toEqual(['梅梅', '韩梅', '韩梅梅']);
  });

  it('6: adds open interactions and the discard audit log on top of version 5, outboxes intact', () => {
    updateToVersion(db, 5);
    db.prepare("INSERT INTO outcomes VALUES ('o1', 'c1', NULL, NULL, NULL, 'accepted', 'hotline', '', '2025-01-01T00:00:00Z', 'pending', '{}')").run();
    db.prepare("INSERT INTO outbox (outcome_id, client_seq, payload, attempts, next_attempt_at) VALUES ('o1', 1, '{}', 1, 5)").run();
    db.prepare("INSERT INTO sync_state (key, value) VALUES ('cursor', 13)").run();

    updateToVersion(db, 6);
    expect(currentVersion(db)).toBe(6);
    expect(tables(db)).toEqual(expect.arrayContaining(['open_interactions', 'interaction_discards']));
    expect(db.prepare('SELECT outcome_id, attempts FROM outbox').all()).toEqual([{ outcome_id: 'o1', attempts: 1 }]);
    expect(db.prepare("SELECT value FROM sync_state WHERE key = 'cursor'").pluck().get()).toBe(13);

    const open = db.prepare(
      "INSERT INTO open_interactions (interaction_id, agent_id, request, state, opened_at) VALUES (?, 'a1', '{}', ?, '2025-01-01T00:00:00Z')",
    );
    open.run('call-1', 'ringing');
    expect(() => open.run('call-2', 'on_hold')).toThrow(/CHECK/);
    expect(() => open.run('call-1', 'talking')).toThrow(/UNIQUE|PRIMARY KEY/);
    // A fresh draft is empty text, not NULL: what the agent has not typed yet reads back as ''.
    expect(db.prepare("SELECT note, callback_at, result FROM open_interactions WHERE interaction_id = 'call-1'").get()).toEqual({
      note: '',
      callback_at: '',
      result: null,
    });
    expect(plan(db, "SELECT * FROM open_interactions WHERE agent_id = 'a1' ORDER BY opened_at")).toMatch(/open_interactions_by_agent/);
  });

  it('7: queues the discards made under version 6 for upload, as the contract reads them, oldest first', () => {
    updateToVersion(db, 6);
    const draft = { result: 'declined', note: '嫌贵', callbackAt: '', declineReason: 'price', notPresentedReason: null, chosenOfferId: null };
    const discard = db.prepare(
      `INSERT INTO interaction_discards (discard_id, interaction_id, agent_id, call_id, customer_id, phone_masked, state, opened_at, draft, reason, discarded_at)
       VALUES (?, ?, 'a1', ?, 'c-1', '138****0001', 'wrap_up', '2025-01-01T00:00:00.000Z', ?, '挂断', ?)`,
    );
    discard.run('019a0000-0000-7000-8000-000000000002', 'call-2', 'call-2', JSON.stringify(draft), '2025-01-01T00:09:00.000Z');
    discard.run('019a0000-0000-7000-8000-000000000001', 'call-1', null, JSON.stringify(draft), '2025-01-01T00:05:00.000Z');

    updateToVersion(db, 7);
    const queued = db.prepare('SELECT discard_id, payload, next_attempt_at FROM discard_outbox ORDER BY seq').all() as {
      discard_id: string;
      payload: string;
    }[];
    expect(queued.map((row) => row.discard_id)).toEqual(['019a0000-0000-7000-8000-000000000001', '019a0000-0000-7000-8000-000000000002']);
    expect(InteractionDiscard.parse(JSON.parse(queued[0]!.payload))).toEqual({
      discardId: '019a0000-0000-7000-8000-000000000001',
      interactionId: 'call-1',
      agentId: 'a1',
      customerId: 'c-1',
      callId: null,
      phoneMasked: '138****0001',
      state: 'wrap_up',
      openedAt: '2025-01-01T00:00:00.000Z',
      reason: '挂断',
      draft,
      discardedAt: '2025-01-01T00:05:00.000Z',
    });
  });

  it('10: requeues, once, the outcomes and events an older desk dead-lettered as agent_mismatch, in the order they were recorded', () => {
    updateToVersion(db, 9);
    const outcome = db.prepare(
      "INSERT INTO outcomes VALUES (?, 'c1', NULL, NULL, NULL, 'accepted', 'hotline', '', '2025-01-01T00:00:00Z', ?, json_object('clientSeq', ?, 'agentId', 'wang'))",
    );
    const dead = db.prepare("INSERT INTO outbox_dead SELECT outcome_id, payload, ?, 'refused', '2025-01-02T00:00:00Z' FROM outcomes WHERE outcome_id = ?");
    outcome.run('o-queued', 'pending', 1);
    db.prepare('INSERT INTO outbox (outcome_id, client_seq, payload, attempts, next_attempt_at) SELECT outcome_id, 1, payload, 2, 5 FROM outcomes').run();
    for (const [id, seq, code] of [
      ['o-later', 5, 'agent_mismatch'],
      ['o-earlier', 3, 'agent_mismatch'],
      ['o-unknown-offer', 4, 'unknown_offer'],
    ] as const) {
      outcome.run(id, 'dead', seq);
      dead.run(code, id);
    }
    const event = db.prepare(
      "INSERT INTO customer_events (event_id, customer_id, call_id, kind, note, recorded_at, payload, state, dead_reason) VALUES (?, 'c1', NULL, 'complaint', '', '2025-01-01T00:00:00Z', json_object('agentId', 'wang'), ?, ?)",
    );
    event.run('019a0000-0000-7000-8000-000000000002', 'dead', "agent_mismatch: item agentId 'wang' is not the logged-in user 'li'");
    event.run('019a0000-0000-7000-8000-000000000001', 'dead', "agent_mismatch: item agentId 'wang' is not the logged-in user 'li'");
    event.run('019a0000-0000-7000-8000-000000000003', 'dead', 'unknown_customer: no such customer');

    updateToVersion(db, 10);
    expect(db.prepare('SELECT outcome_id, client_seq, attempts, next_attempt_at FROM outbox ORDER BY seq').all()).toEqual([
      { outcome_id: 'o-queued', client_seq: 1, attempts: 2, next_attempt_at: 5 },
      { outcome_id: 'o-earlier', client_seq: 3, attempts: 0, next_attempt_at: 0 },
      { outcome_id: 'o-later', client_seq: 5, attempts: 0, next_attempt_at: 0 },
    ]);
    expect(db.prepare("SELECT outcome_id FROM outcomes WHERE sync_state = 'pending' ORDER BY outcome_id").pluck().all()).toEqual([
      'o-earlier',
      'o-later',
      'o-queued',
    ]);
    expect(db.prepare('SELECT outcome_id, code FROM outbox_dead').all()).toEqual([{ outcome_id: 'o-unknown-offer', code: 'unknown_offer' }]);
    expect(db.prepare('SELECT event_id FROM event_outbox ORDER BY seq').pluck().all()).toEqual([
      '019a0000-0000-7000-8000-000000000001',
      '019a0000-0000-7000-8000-000000000002',
    ]);
    expect(db.prepare('SELECT event_id, state, dead_reason FROM customer_events ORDER BY event_id').all()).toEqual([
      { event_id: '019a0000-0000-7000-8000-000000000001', state: 'pending', dead_reason: null },
      { event_id: '019a0000-0000-7000-8000-000000000002', state: 'pending', dead_reason: null },
      { event_id: '019a0000-0000-7000-8000-000000000003', state: 'dead', dead_reason: 'unknown_customer: no such customer' },
    ]);

    // A repair, not a rule of every open: a cache at this version is not scanned for such rows again.
    outcome.run('o-after', 'dead', 6);
    dead.run('agent_mismatch', 'o-after');
    updateToVersion(db, LATEST_VERSION);
    expect(db.prepare('SELECT outcome_id FROM outbox_dead ORDER BY outcome_id').pluck().all()).toEqual(['o-after', 'o-unknown-offer']);
  });

  it("11: the event overlay's customers and the dead events' count are found by state, not by a scan of every event", () => {
    updateToVersion(db, 11);
    expect(plan(db, CUSTOMERS_WITH_UNSYNCED_EVENTS_SQL)).not.toMatch(/SCAN customer_events/);
    expect(plan(db, CUSTOMERS_WITH_UNSYNCED_EVENTS_SQL)).toMatch(
      /customer_events_by_state \(state=\?\).*customer_events_by_state \(state=\? AND applied_at_seq>\?\)/,
    );
    expect(plan(db, "SELECT count(*) FROM customer_events WHERE state = 'dead'")).toMatch(
      /SEARCH customer_events USING COVERING INDEX customer_events_by_state/,
    );
  });

  it('applies all pending steps in one transaction: a failing step leaves the old version intact', () => {
    updateToVersion(db, 1);
    db.exec('CREATE TABLE outcomes (x)'); // makes migration 2 fail halfway
    expect(() => updateToVersion(db, 2)).toThrow(/already exists/);
    expect(currentVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('outbox');
  });

  it('is a no-op when already at the target, and refuses a future version with a clear error', () => {
    updateToVersion(db, LATEST_VERSION);
    updateToVersion(db, LATEST_VERSION);
    expect(currentVersion(db)).toBe(LATEST_VERSION);
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    expect(() => updateToVersion(db, LATEST_VERSION)).toThrow(`cache schema version ${LATEST_VERSION + 5} is newer than this app supports`);
  });
});
