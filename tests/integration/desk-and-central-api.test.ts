// The walking skeleton end to end in Node: central API + desk backend over real HTTP and
// WebSocket. Sync, a ringing call, an outcome that reaches the server exactly once, and an
// outage in between. Runs on embedded PGlite always, and on PostgreSQL when TEST_DATABASE_URL is set.
import { OPERATOR_UTC_OFFSET, operatorDateDaysBefore } from '../../shared/domain/operator-time';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeskBackend, type DeskBackend } from '../../desk-backend/desk-backend';
import { createCentralApi } from '../../server/app';
import type { CustomerCard, DeskEvent, DeskOutput, SyncStatus } from '../../shared/contract/desk-api';
import { createScratchDatabase, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/scratch-postgres';
import { migratedDataDir } from '../support/test-pglite';
import { pollUntil } from '../support/poll-until';

const CUSTOMERS = 300;
const CTI_KEY = 'integration-cti-key';

type ApiOptions = Parameters<typeof createCentralApi>[0];
type CentralApi = Awaited<ReturnType<typeof createCentralApi>>;

function deskFlow(name: string, apiOptions: () => Promise<ApiOptions>, dropDatabase: () => Promise<void>) {
  describe(name, () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'clm-it-desk-'));
    const events: DeskEvent[] = [];
    let options: ApiOptions;
    let api: CentralApi;
    let port: number;
    let desk: DeskBackend;

    const start = async () => {
      api = await createCentralApi(options);
      const address = await api.app.listen({ host: '127.0.0.1', port: port ?? 0 });
      port = Number(new URL(address).port);
    };
    const call = async <T>(channel: string, input: unknown = {}): Promise<T> => {
      const result = await desk.invoke(channel, input);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
      return result.value as T;
    };
    const serverOutcomeCount = async (outcomeId: string) =>
      Number((await api.db.query<{ n: string | number }>('SELECT count(*) AS n FROM outcomes WHERE outcome_id = $1', [outcomeId]))[0]?.n);

    beforeAll(async () => {
      options = { ...(await apiOptions()), demo: true, seedCustomers: CUSTOMERS, ctiKey: CTI_KEY, tokenSecret: 'integration-secret' };
      await start();
      desk = createDeskBackend({
        cachePath: path.join(cacheDir, 'cache.sqlite'),
        apiUrl: `http://127.0.0.1:${port}`,
        pullIntervalMs: 500,
        uploadIntervalMs: 200,
      });
      desk.onEvent((event) => events.push(event));
    });
    afterAll(async () => {
      await desk?.close();
      await api?.close();
      await dropDatabase();
      rmSync(cacheDir, { recursive: true, force: true });
    });

    it('logs in and syncs the whole book into the local cache', async () => {
      const session = await call<DeskOutput<'session/login'>>('session/login', { username: 'agent01', password: 'demo1234' });
      expect(session).toMatchObject({ agentId: 'agent01', role: 'agent' });
      const status = await pollUntil(
        () => call<SyncStatus>('sync/status'),
        (s) => s.customersCached === CUSTOMERS && s.cursor > 0,
        'initial sync (snapshot done, cursor at its safe point)',
      );
      expect(status.online).toBe(true);
      expect(status.cursor).toBeGreaterThan(0);
    });

    let card: CustomerCard;
    let callId: string;
    let knownPhone: string;
    it('sends the caller card with the call event when the CTI platform offers a call', async () => {
      const [customer] = await api.db.query<{ id: string; phone: string; name: string }>(
        "SELECT id, phone, name FROM customers WHERE status = 'active' ORDER BY id LIMIT 1",
      );
      knownPhone = customer!.phone;
      callId = `it-${Date.now()}`;
      const response = await fetch(`http://127.0.0.1:${port}/cti/calls`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-cti-key': CTI_KEY },
        body: JSON.stringify({ callId, ani: `+86${customer!.phone}`, agentId: 'agent01', event: 'offered' }),
      });
      expect(response.status).toBe(202);
      const offered = await pollUntil(
        async () => events.find((e) => e.type === 'call' && e.event.callId === callId),
        (e) => e !== undefined,
        'the call event pushed to the desk',
      );
      if (offered?.type !== 'call') throw new Error('unreachable');
      // The desk built the card as the push arrived: the renderer needs no card/byPhone round trip.
      expect(offered.card).toBeDefined();
      card = offered.card!;
      expect(card.kind).toBe('known');
      expect(card.customer?.name).toBe(customer!.name);
      expect(card.phoneMasked).toBe(`${customer!.phone.slice(0, 3)}****${customer!.phone.slice(-4)}`);
      expect(['A', 'B', 'C', 'D']).toContain(card.assessment.stage);
      expect(card.assessment.valueTier).not.toBeNull();
      expect(card.offers.length).toBeGreaterThan(0);
    });

    it('uploads the audit row of that card view to the central API exactly once', async () => {
      const stored = () =>
        api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM card_view_audit WHERE call_id = $1', [callId]).then((rows) => rows[0]?.n ?? 0);
      await pollUntil(stored, (n) => n > 0, 'the card view audit upload');
      await call('sync/now');
      expect(await stored()).toBe(1);
    });

    it('finds the caller at the counter by phone and by the last 4 characters of the ID number (all that an agent copy keeps), masked', async () => {
      const [row] = await api.db.query<{ id_number: string }>("SELECT data->>'idNumber' AS id_number FROM customers WHERE id = $1", [card.customer!.id]);
      const byPhone = await call<DeskOutput<'customer/search'>>('customer/search', { query: knownPhone });
      expect(byPhone.matches).toEqual([expect.objectContaining({ customerId: card.customer!.id, phoneMasked: card.phoneMasked, matchedOn: 'phone' })]);
      const byId = await call<DeskOutput<'customer/search'>>('customer/search', { query: row!.id_number.slice(-4) });
      expect(byId.matches.map((m) => m.customerId)).toContain(card.customer!.id);
      expect(JSON.stringify(byId)).not.toContain(row!.id_number);
    });

    it('shows an unknown caller as a prospect, not an error', async () => {
      const prospect = await call<CustomerCard>('card/byPhone', { phone: '19900000000', callId: null });
      expect(prospect.kind).toBe('prospect');
      expect(prospect.assessment.stage).toBe('prospect');
    });

    it('uploads a recorded outcome that the server stores exactly once', async () => {
      const recorded = await call<DeskOutput<'outcome/record'>>('outcome/record', {
        callId,
        customerId: card.customer!.id,
        phone: null,
        offerId: card.offers[0]!.offerId,
        result: 'accepted',
        note: '客户同意办理',
        channel: 'hotline',
      });
      await pollUntil(
        () => call<SyncStatus>('sync/status'),
        (s) => s.outboxPending === 0,
        'the outbox to drain',
      );
      expect(await serverOutcomeCount(recorded.outcomeId)).toBe(1);
      await call('sync/now');
      expect(await serverOutcomeCount(recorded.outcomeId)).toBe(1);
    });

    it('re-scores the card at once when a complaint is logged, and the server folds it exactly once', async () => {
      const customerId = card.customer!.id;
      const serverComplaints = async () =>
        Number((await api.db.query<{ n: number }>("SELECT (data->>'complaints30d')::int AS n FROM customers WHERE id = $1", [customerId]))[0]?.n);
      const before = await serverComplaints();
      await pollUntil(
        () => call<SyncStatus>('sync/now'),
        (s) => s.online,
        'the scoring bundle to sync',
      );
      const rescored = await call<CustomerCard>('customer/logEvent', { customerId, callId, kind: 'complaint', note: '信号差' });
      expect(rescored.assessment.churnProbability!).toBeGreaterThanOrEqual(card.assessment.churnProbability!);
      await pollUntil(serverComplaints, (n) => n === before + 1, 'the server to fold the complaint');
      // Once the desk has pulled the folded row, the card counts the complaint once, as the server does.
      await call('sync/now');
      const pulled = await call<CustomerCard>('card/byPhone', { phone: knownPhone, callId, purpose: 'refresh' });
      expect(pulled.assessment.churnProbability).toBe(rescored.assessment.churnProbability);
      expect(await serverComplaints()).toBe(before + 1);
    });

    it('keeps working while the central API is down and drains the outbox when it returns', async () => {
      await api.close();
      const offline = await call<CustomerCard>('card/byPhone', { phone: `0${knownPhone}`, callId: null });
      expect(offline.customer?.id).toBe(card.customer!.id);
      const recorded = await call<DeskOutput<'outcome/record'>>('outcome/record', {
        callId: null,
        customerId: card.customer!.id,
        phone: null,
        offerId: card.offers[0]!.offerId,
        result: 'callback',
        // Tomorrow at 10:00 China time: inside the contact hours whenever the test runs.
        callbackAt: new Date(`${operatorDateDaysBefore(new Date(), -1)}T10:00:00${OPERATOR_UTC_OFFSET}`).toISOString(),
        note: 'offline',
        channel: 'store',
      });
      expect(recorded.outboxPending).toBe(1);
      const down = await pollUntil(
        () => call<SyncStatus>('sync/now'),
        (s) => !s.online,
        'the desk to notice the outage',
      );
      expect(down.outboxPending).toBe(1);

      await start();
      await pollUntil(
        () => call<SyncStatus>('sync/now'),
        (s) => s.online && s.outboxPending === 0,
        'the outbox to drain after the outage',
      );
      expect(await serverOutcomeCount(recorded.outcomeId)).toBe(1);
    });
  });
}

const pgliteDir = mkdtempSync(path.join(tmpdir(), 'clm-it-pglite-'));
deskFlow(
  'desk + central API on embedded PGlite',
  // A copy of the run's migrated template, so the API does not run initdb and every migration again; it seeds as before.
  async () => ({ dataDir: await migratedDataDir(path.join(pgliteDir, 'data')) }),
  async () => rmSync(pgliteDir, { recursive: true, force: true }),
);

let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
describe.skipIf(!TEST_DATABASE_URL)(TEST_DATABASE_URL ? 'PostgreSQL' : POSTGRES_SKIP_REASON, () => {
  deskFlow(
    'desk + central API on PostgreSQL',
    async () => {
      scratch = await createScratchDatabase(TEST_DATABASE_URL!);
      return { databaseUrl: scratch.url };
    },
    async () => scratch?.drop(),
  );
});
