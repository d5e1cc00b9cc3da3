// A ringing call's screen pop commits once: the card-view audit row and the ringing interaction are
// written in one SQLite transaction before the card is sent. When storing the interaction fails,
// the audit row is recorded all the same. Commits are counted by watching the statements run on
// the cache's connection (see watchCommits).
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OpenInteraction } from '../../shared/contract/desk-api';
import { queuedAuditRows, startBackend, type BackendHarness } from './support/backend-harness';
import { makeCustomer } from '../db/support/fixtures';
import { startMockCentralApi, type MockCentralApi } from './support/mock-central-api';
import { useTempDir } from '../db/support/temp-dir';
import { until } from './support/wait';

const temp = useTempDir();
const AGENT = 'agent-li';
const AUDIT_INSERT = /^\s*INSERT INTO audit_outbox\b/;
const INTERACTION_INSERT = /^\s*INSERT INTO open_interactions\b/;

interface Write {
  sql: string;
  /** The commit it belongs to. */
  commit: number;
}

/**
 * Records every write on any connection with the commit it goes out in: better-sqlite3 runs its
 * transactions' BEGIN through the same Statement.run, and a write outside a transaction is a commit
 * of its own. `failWrite` makes a matching write throw after it ran.
 */
function watchCommits() {
  const writes: Write[] = [];
  const watch = { writes, failWrite: null as RegExp | null };
  let commits = 0;
  const probe = new Database(':memory:');
  const statement = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Database.Statement;
  probe.close();
  const run = statement.run;
  vi.spyOn(statement, 'run').mockImplementation(function (this: Database.Statement, ...params: unknown[]) {
    if (this.source === 'BEGIN') commits += 1;
    else writes.push({ sql: this.source, commit: this.database.inTransaction ? commits : ++commits });
    const result = run.apply(this, params);
    if (watch.failWrite?.test(this.source)) throw new Error('disk I/O error (test)');
    return result;
  });
  return watch;
}

describe('a ringing call’s screen pop', () => {
  let mock: MockCentralApi;
  let h: BackendHarness;
  let watch: ReturnType<typeof watchCommits>;
  let cachePath: string;

  beforeEach(async () => {
    watch = watchCommits();
    mock = await startMockCentralApi();
    mock.put('customer', makeCustomer(1));
    cachePath = temp.path();
    h = startBackend({ cachePath, apiUrl: mock.url });
    await h.loginAndSync('li');
  });
  afterEach(async () => {
    await h.backend.close();
    await mock.close();
    vi.restoreAllMocks();
  });

  const pendingAudits = () => queuedAuditRows(cachePath);
  const list = async () => (await h.call<{ interactions: OpenInteraction[] }>('interaction/list')).interactions;
  const ring = async (callId: string, agentId = AGENT) => {
    const before = h.events.length;
    await until(() => mock.pushCall({ callId, ani: '+8613800000001', agentId, event: 'offered' }) > 0);
    await until(() => h.events.slice(before).some((e) => e.type === 'call' && e.event.callId === callId));
    return h.events.slice(before).find((e) => e.type === 'call' && e.event.callId === callId);
  };
  const auditedCall = (callId: string) => () => mock.auditViews().some((v) => v.callId === callId && v.agentId === AGENT && v.purpose === 'call');
  const commitsOf = (pattern: RegExp, from: number) => watch.writes.slice(from).filter((w) => pattern.test(w.sql));

  it('writes the audit row and the ringing interaction in one commit, both before the card is sent', async () => {
    const from = watch.writes.length;
    let writesWhenSent = 0;
    h.backend.onEvent((e) => {
      if (e.type === 'call') writesWhenSent = watch.writes.length;
    });
    const event = await ring('call-1');
    expect(event).toMatchObject({ card: { customer: { id: 'c-1' } } });
    const [audit, ...moreAudits] = commitsOf(AUDIT_INSERT, from);
    const [interaction, ...moreInteractions] = commitsOf(INTERACTION_INSERT, from);
    expect(moreAudits).toEqual([]);
    expect(moreInteractions).toEqual([]);
    expect(audit!.commit).toBe(interaction!.commit);
    expect(watch.writes.indexOf(audit!)).toBeLessThan(writesWhenSent);
    expect(watch.writes.indexOf(interaction!)).toBeLessThan(writesWhenSent);

    expect(await list()).toMatchObject([{ interactionId: 'call-1', state: 'ringing', card: { customer: { id: 'c-1' } } }]);
    await until(auditedCall('call-1'), 5000, 'the card view audited');
  });

  it('still records the audit row when the interaction is open on another agent’s desk', async () => {
    await h.call('session/logout');
    await h.loginAndSync('wang');
    await ring('call-9', 'agent-wang');
    // Uploaded before the next agent logs in: the central API takes audit rows from their own agent only.
    await until(() => pendingAudits() === 0, 5000, 'wang’s card view uploaded');
    await h.call('session/logout');
    await h.loginAndSync('li');

    const from = watch.writes.length;
    const event = await ring('call-9');
    expect(event).toMatchObject({ card: { customer: { id: 'c-1' } } });
    expect(commitsOf(AUDIT_INSERT, from)).toHaveLength(1);
    expect(await list()).toEqual([]);
    await until(auditedCall('call-9'), 5000, 'the card view audited');
  });

  it('still records the audit row, and undoes the interaction’s writes, when storing the interaction fails', async () => {
    watch.failWrite = INTERACTION_INSERT;
    const event = await ring('call-3');
    // The card still reaches the screen, and the renderer can open the interaction itself.
    expect(event).toMatchObject({ card: { customer: { id: 'c-1' } } });
    expect(h.warnings).toContain('ringing interaction not stored with its card: internal');
    // The insert ran before it failed: rolled back to its savepoint, it left nothing behind.
    watch.failWrite = null;
    expect(await list()).toEqual([]);
    await until(auditedCall('call-3'), 5000, 'the card view audited');
  });
});
