import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validate as isUuid, version as uuidVersion } from 'uuid';
import { openCache, type CacheDb } from '../../db/cache/open-cache';
import { OUTBOX_BACKOFF, backoffDelayMs } from '../../db/outbox/backoff';
import { createOutbox, type Outbox } from '../../db/outbox/outbox';
import { makeDraft } from './support/fixtures';
import { useTempDir } from './support/temp-dir';

const temp = useTempDir();
const at = new Date('2025-06-01T10:00:00Z');

describe('outbox', () => {
  let db: CacheDb;
  let outbox: Outbox;
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
  const outcomeState = (id: string) => db.prepare('SELECT sync_state FROM outcomes WHERE outcome_id = ?').pluck().get(id);

  beforeEach(() => {
    db = openCache(temp.path());
    outbox = createOutbox(db, { random: () => 1 });
  });
  afterEach(() => db.close());

  it('records the outcome and its outbox row together, with a UUIDv7 id', () => {
    const recorded = outbox.record(makeDraft({ note: 'wants the family bundle' }), 'agent-7', at);
    expect(isUuid(recorded.outcomeId) && uuidVersion(recorded.outcomeId)).toBe(7);
    expect(recorded).toMatchObject({ clientSeq: 1, outboxPending: 1 });
    const row = db.prepare<[string], Record<string, unknown>>('SELECT * FROM outcomes WHERE outcome_id = ?').get(recorded.outcomeId);
    expect(row).toMatchObject({ customer_id: 'c-1', phone: '13800000001', result: 'accepted', sync_state: 'pending', recorded_at: at.toISOString() });
    const [item] = outbox.takeDue('agent-7', 10, at.getTime());
    expect(item).toMatchObject({ outcomeId: recorded.outcomeId, clientSeq: 1, agentId: 'agent-7', deviceId: outbox.deviceId() });
    expect(item?.draft.note).toBe('wants the family bundle');
  });

  it('writes neither row when the transaction fails half-way', () => {
    db.exec("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'power cut'); END");
    expect(() => outbox.record(makeDraft(), 'agent-7', at)).toThrow('power cut');
    expect(count('outcomes')).toBe(0);
    expect(count('outbox')).toBe(0);
    db.exec('DROP TRIGGER fail_outbox');
    // The failed attempt did not consume a client sequence number either.
    expect(outbox.record(makeDraft(), 'agent-7', at).clientSeq).toBe(1);
  });

  it('gives each outcome a distinct time-ordered id and a strictly increasing clientSeq, kept across reopen', () => {
    const path = db.name;
    const first = Array.from({ length: 50 }, (_, i) => outbox.record(makeDraft(), 'a', new Date(at.getTime() + i)));
    const deviceId = outbox.deviceId();
    db.close();
    db = openCache(path);
    outbox = createOutbox(db);
    const second = Array.from({ length: 5 }, () => outbox.record(makeDraft(), 'a', at));
    const all = [...first, ...second];
    expect(all.map((r) => r.clientSeq)).toEqual(all.map((_, i) => i + 1));
    expect(new Set(all.map((r) => r.outcomeId)).size).toBe(all.length);
    expect(first.map((r) => r.outcomeId)).toEqual([...first.map((r) => r.outcomeId)].sort());
    expect(outbox.deviceId()).toBe(deviceId);
  });

  it('hands out the oldest items first, in batches', () => {
    const ids = Array.from({ length: 5 }, () => outbox.record(makeDraft(), 'a', at).outcomeId);
    expect(outbox.takeDue('a', 3, at.getTime()).map((o) => o.outcomeId)).toEqual(ids.slice(0, 3));
  });

  it('removes acknowledged items (accepted or duplicate) and marks their outcomes synced; a repeated ack is harmless', () => {
    const a = outbox.record(makeDraft(), 'a', at).outcomeId;
    const b = outbox.record(makeDraft(), 'a', at).outcomeId;
    const response = {
      results: [
        { outcomeId: a, status: 'accepted' as const },
        { outcomeId: b, status: 'duplicate' as const },
      ],
      lastAppliedClientSeq: 2,
    };
    outbox.applyResults(response, at);
    expect(outbox.counts()).toEqual({ pending: 0, dead: 0, oldestPendingAt: null });
    expect([outcomeState(a), outcomeState(b)]).toEqual(['synced', 'synced']);
    outbox.applyResults(response, at);
    outbox.applyResults({ results: [{ outcomeId: '0190a5d0-0000-7000-8000-000000000000', status: 'accepted' }], lastAppliedClientSeq: 2 }, at);
    expect(count('outcomes')).toBe(2);
  });

  it('moves a rejected item to outbox_dead with its code and reason, never dropping it', () => {
    const kept = outbox.record(makeDraft(), 'a', at).outcomeId;
    const refused = outbox.record(makeDraft({ note: 'bad' }), 'a', at).outcomeId;
    outbox.applyResults(
      { results: [{ outcomeId: refused, status: 'rejected', code: 'offer_expired', message: 'offer o-1 ended' }], lastAppliedClientSeq: 0 },
      at,
    );
    expect(outbox.counts()).toEqual({ pending: 1, dead: 1, oldestPendingAt: at.toISOString() });
    expect(db.prepare('SELECT code, reason, dead_at FROM outbox_dead WHERE outcome_id = ?').get(refused)).toEqual({
      code: 'offer_expired',
      reason: 'offer o-1 ended',
      dead_at: at.toISOString(),
    });
    expect(JSON.parse(String(db.prepare('SELECT payload FROM outbox_dead').pluck().get())).draft.note).toBe('bad');
    expect(outcomeState(refused)).toBe('dead');
    expect(outbox.takeDue('a', 10, at.getTime()).map((o) => o.outcomeId)).toEqual([kept]);
  });

  it('backs off a failed attempt with growing, capped delays, and holds later items behind the head', () => {
    const head = outbox.record(makeDraft(), 'a', at).outcomeId;
    const nextDue = [];
    let now = at.getTime();
    for (let attempt = 1; attempt <= 10; attempt++) {
      outbox.recordFailedAttempt([head], 'central API unreachable', now);
      nextDue.push((outbox.nextDueAt('a') ?? 0) - now);
    }
    // random() = 1 gives the top of each jitter window: 1 s, 2 s, 4 s ... capped at 60 s.
    expect(nextDue).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000]);
    const row = db.prepare('SELECT attempts, last_error FROM outbox').get();
    expect(row).toEqual({ attempts: 10, last_error: 'central API unreachable' });

    outbox.record(makeDraft(), 'a', new Date(now));
    expect(outbox.takeDue('a', 10, now)).toEqual([]);
    now = outbox.nextDueAt('a') ?? 0;
    expect(outbox.takeDue('a', 10, now).map((o) => o.outcomeId)[0]).toBe(head);
  });

  it('jitters within [half, full] of the exponential step', () => {
    for (let attempt = 1; attempt < 12; attempt++) {
      const step = Math.min(OUTBOX_BACKOFF.capMs, OUTBOX_BACKOFF.baseMs * 2 ** (attempt - 1));
      expect(backoffDelayMs(attempt, OUTBOX_BACKOFF, () => 0)).toBe(step / 2);
      expect(backoffDelayMs(attempt, OUTBOX_BACKOFF, () => 0.999999)).toBeLessThanOrEqual(step);
    }
  });

  it('dead-letters a stored payload the contract no longer accepts instead of blocking the queue', () => {
    const broken = outbox.record(makeDraft(), 'a', at).outcomeId;
    const fine = outbox.record(makeDraft(), 'a', at).outcomeId;
    // Still the recording agent's row (the queue is drained per agent), otherwise not an outcome.
    db.prepare('UPDATE outbox SET payload = \'{"outcomeId":"nope","agentId":"a"}\' WHERE outcome_id = ?').run(broken);
    expect(outbox.takeDue('a', 10, at.getTime()).map((o) => o.outcomeId)).toEqual([fine]);
    expect(outcomeState(broken)).toBe('dead');
    expect(db.prepare('SELECT code FROM outbox_dead').pluck().get()).toBe('unsendable_payload');
  });
});
