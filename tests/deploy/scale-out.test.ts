// Two API instances (their own processes, as `npm run server` starts them) behind the shipped HAProxy
// configuration on one PostgreSQL, four desk backends recording outcomes and ringing with CTI pushes
// through the balancer, and the instance holding most desks killed with -9 in the middle of it.
// Afterwards the database holds every outcome the desks recorded exactly once (by its idempotency key,
// the outcome id), and every desk has been shown every call pushed to its agent. What happens to a push
// sent while a desk is reconnecting: it is in the shared call log; the desk's new stream (through the
// balancer, on the surviving instance) names the last call id it had, and the server sends it the calls
// of its agent it missed (server/cti/agent-sockets.ts). The calls pushed right after the kill are the
// ones in that window.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskEvent, SyncStatus } from '../../shared/contract/desk-api';
import type { CtiCallEvent } from '../../shared/contract/central-api';
import { openSqlClient } from '../../server/db/open-sql-client';
import type { SqlClient } from '../../server/db/sql-client';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { startBackend, type BackendHarness } from '../desk-backend/support/backend-harness';
import { useTempDir } from '../db/support/temp-dir';
import { postCall } from '../server/support/cti-client';
import { startTestApi, TEST_CTI_KEY, TEST_TOKEN_SECRET } from '../server/support/test-api';
import { createScratchDatabase, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/scratch-postgres';
import { startApiInstance, type ApiInstance } from './support/api-instance';
import { haproxyInstalled, NO_HAPROXY, startBalancer, type Balancer } from './support/haproxy';
import { eventually } from './support/processes';

const AGENTS = ['agent01', 'agent02', 'agent03', 'agent04'];
const ROUNDS_BEFORE = 4;
const ROUNDS_AFTER = 4;
/** Seeding the book trains the churn model and the instances start under tsx: minutes on a busy machine. */
const SET_UP_MS = 600_000;
const temp = useTempDir();

describe.skipIf(!haproxyInstalled || !TEST_DATABASE_URL)(
  !haproxyInstalled ? NO_HAPROXY : TEST_DATABASE_URL ? 'two instances behind HAProxy, one killed with -9 mid-load' : POSTGRES_SKIP_REASON,
  () => {
    let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
    let db: SqlClient;
    const instances: ApiInstance[] = [];
    let balancer: Balancer;
    const desks = new Map<string, BackendHarness>();
    let customers: { id: string; phone: string }[];
    let offerId: string;

    beforeAll(async () => {
      scratch = await createScratchDatabase(TEST_DATABASE_URL!);
      // Migrated and seeded once here; the instances find the book and seed nothing.
      await (await startTestApi({ databaseUrl: scratch.url, seedCustomers: 20 })).close();
      for (const instanceId of ['api1', 'api2'])
        instances.push(
          await startApiInstance({
            databaseUrl: scratch.url,
            instanceId,
            tokenSecret: TEST_TOKEN_SECRET,
            ctiKey: TEST_CTI_KEY,
            env: { CLM_DB_POOL_SIZE: '4', CLM_DB_STATEMENT_TIMEOUT_MS: '30000' },
          }),
        );
      balancer = await startBalancer(instances.map((instance) => instance.address));
      ({ db } = await openSqlClient({ databaseUrl: scratch.url }));
      customers = await db.query<{ id: string; phone: string }>('SELECT id, phone FROM customers WHERE NOT deleted ORDER BY id LIMIT 20');
      [{ id: offerId }] = (await db.query<{ id: string }>('SELECT id FROM offers WHERE NOT deleted ORDER BY id LIMIT 1')) as [{ id: string }];
      for (const agent of AGENTS) {
        const desk = startBackend({ cachePath: temp.path(), apiUrl: balancer.url });
        desks.set(agent, desk);
        await desk.call('session/login', { username: agent, password: DEMO_PASSWORD });
        await desk.call('sync/now');
      }
    }, SET_UP_MS);
    afterAll(async () => {
      for (const desk of desks.values()) await desk.backend.close();
      await balancer?.stop();
      for (const instance of instances) await instance.process.stop();
      await db?.close();
      await scratch?.drop();
    });

    /** Desk streams each instance holds, from its own /metrics (a dead instance holds none). */
    async function connectedDesks(instance: ApiInstance): Promise<number> {
      const text = await (await fetch(`${instance.url}/metrics`)).text().catch(() => '');
      return Number(/^clm_connected_desks (\d+)$/m.exec(text)?.[1] ?? 0);
    }

    const recorded = new Map<string, string[]>(AGENTS.map((agent) => [agent, []]));
    const pushed = new Map<string, string[]>(AGENTS.map((agent) => [agent, []]));
    /** Calls the platform had to post again (its first try got no 202): shown at least once, maybe twice. */
    const repostedCalls = new Set<string>();

    /** The telephony platform: posts through the balancer, and again on a refusal, as platforms retry. */
    async function ring(event: CtiCallEvent): Promise<void> {
      for (let attempt = 0; attempt < 30; attempt++) {
        const status = await postCall(balancer.url, TEST_CTI_KEY, event).then(
          (response) => response.status,
          () => 0,
        );
        if (status === 202) return void pushed.get(event.agentId)!.push(event.callId);
        repostedCalls.add(event.callId);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`the balancer never took call ${event.callId}`);
    }

    /** Every desk records an outcome and its agent gets a ringing call. */
    async function round(label: string, index: number): Promise<void> {
      await Promise.all(
        AGENTS.map(async (agent, position) => {
          const customer = customers[(index * AGENTS.length + position) % customers.length]!;
          const { outcomeId } = await desks.get(agent)!.call<{ outcomeId: string }>('outcome/record', {
            callId: `${label}-${index}-${agent}`,
            customerId: customer.id,
            phone: customer.phone,
            offerId,
            result: 'accepted',
            channel: 'hotline',
          });
          recorded.get(agent)!.push(outcomeId);
          await ring({ callId: `${label}-${index}-${agent}`, ani: customer.phone, agentId: agent, event: 'offered' });
        }),
      );
    }

    const shownCalls = (agent: string) =>
      desks
        .get(agent)!
        .events.filter((event): event is Extract<DeskEvent, { type: 'call' }> => event.type === 'call')
        .map((event) => event.event.callId);

    it('loses no outcome, stores none twice, and shows every call to every desk, through a kill -9', async () => {
      await eventually(async () => (await Promise.all(instances.map(connectedDesks))).reduce((sum, n) => sum + n, 0) === AGENTS.length, 'every desk stream');
      const held = await Promise.all(instances.map(connectedDesks));
      const victim = instances[held[0]! >= held[1]! ? 0 : 1]!;
      const survivor = instances.find((instance) => instance !== victim)!;
      expect(Math.max(...held)).toBeGreaterThan(0);

      for (let index = 0; index < ROUNDS_BEFORE; index++) await round('before', index);
      // Mid-load: uploads and streams in flight on the victim die with it.
      victim.process.child.kill('SIGKILL');
      await victim.process.exited;
      // Pushed while the victim's desks are reconnecting.
      await round('window', 0);
      for (let index = 0; index < ROUNDS_AFTER; index++) await round('after', index);

      // Every stream comes back, through the balancer, on the survivor.
      await eventually(async () => (await connectedDesks(survivor)) === AGENTS.length, 'every desk on the surviving instance', 600);
      for (const [agent, desk] of desks) {
        await eventually(
          async () => {
            const status = await desk.call<SyncStatus>('sync/now');
            return status.outboxPending === 0 && status.outboxDead === 0;
          },
          `${agent}'s outbox to drain`,
          600,
        );
        await eventually(async () => pushed.get(agent)!.every((callId) => shownCalls(agent).includes(callId)), `every call of ${agent}`, 600);
        const shown = shownCalls(agent);
        for (const callId of pushed.get(agent)!)
          if (!repostedCalls.has(callId))
            expect(
              shown.filter((id) => id === callId),
              callId,
            ).toHaveLength(1);
      }

      const ids = [...recorded.values()].flat();
      expect(ids).toHaveLength(AGENTS.length * (ROUNDS_BEFORE + 1 + ROUNDS_AFTER));
      const stored = await db.query<{ outcome_id: string; copies: number }>(
        'SELECT outcome_id::text, count(*)::int AS copies FROM outcomes WHERE outcome_id = ANY($1::uuid[]) GROUP BY outcome_id',
        [ids],
      );
      expect(stored.map((row) => row.outcome_id).sort()).toEqual([...ids].sort());
      expect(stored.every((row) => row.copies === 1)).toBe(true);
    });
  },
);
