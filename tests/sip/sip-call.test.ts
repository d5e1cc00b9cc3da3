// A real SIP call rings the right desk. SIPp plays the customer and the agent's phone; Kamailio runs
// deploy/kamailio/kamailio.cfg as shipped (only its listen address is given, on loopback) between
// them and tells the central API about the call; a desk backend logged in as the agent shows the
// caller's card when the phone rings, follows the answer, and goes to wrap-up on the customer's BYE,
// or on their CANCEL when they give up before the agent answers.
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { CustomerCard, DeskEvent, DeskOutput } from '../../shared/contract/desk-api';
import type { CentralApi } from '../../server/app';
import { startBackend, type BackendHarness } from '../desk-backend/support/backend-harness';
import { eventually, run, start, type Started } from '../deploy/support/processes';
import { collectMessages, openSocket } from '../server/support/cti-client';
import { bearer, login, startTestApi, TEST_CUSTOMERS } from '../server/support/test-api';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const CONFIG = path.join(repoRoot, 'deploy/kamailio/kamailio.cfg');
const SCENARIOS = path.join(import.meta.dirname, 'scenarios');
const MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules';
/** The modules the shipped configuration loads beyond the kamailio package, with the Debian package of each. */
const EXTRA_MODULES = { 'jansson.so': 'kamailio-extra-modules', 'http_client.so': 'kamailio-utils-modules', 'crypto.so': 'kamailio-tls-modules' };

const installed = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const toolsInstalled = installed('kamailio') && installed('sipp');
const SKIP_REASON = 'kamailio or sipp not installed (apt-get install kamailio kamailio-extra-modules kamailio-utils-modules kamailio-tls-modules sip-tester)';

const SIP_KEY = 'sip-test-signing-key-0123456789';
const EXTENSION = '8002';
const CALL_ID = 'clm-sip-call-1@127.0.0.1';
const UNMAPPED_CALL_ID = 'clm-sip-call-2@127.0.0.1';
const MISSED_CALL_ID = 'clm-sip-call-3@127.0.0.1';

/** A UDP port nobody holds right now (SIP runs on UDP, so a free TCP port proves nothing). */
function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

const sipp = (args: string[]) => ['sipp', ...args, '-i', '127.0.0.1', '-m', '1', '-timeout', '30s', '-nostdin'];

describe.skipIf(!toolsInstalled)(toolsInstalled ? 'a SIP call through Kamailio' : SKIP_REASON, () => {
  let api: CentralApi;
  let baseUrl: string;
  let workDir: string;
  let kamailio: Started;
  let proxyPort: number;
  let phonePort: number;
  let desk: BackendHarness;
  let otherDesk: WebSocket;
  let otherDeskMessages: string[];
  let customer: { id: string; phone: string };

  beforeAll(async () => {
    const missing = Object.entries(EXTRA_MODULES).filter(([module]) => !existsSync(path.join(MODULES, module)));
    expect(
      missing.map(([module, pkg]) => `${module} (apt-get install ${pkg})`),
      'Kamailio modules the configuration loads',
    ).toEqual([]);

    api = await startTestApi({ cti: { webhook: {}, amazonConnect: null, genesys: null, sip: { keys: [SIP_KEY] } } });
    baseUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
    // The operator maps the agent's extension as for any platform: the user's external id.
    const admin = await login(api.app, 'admin01');
    const mapped = await api.app.inject({ method: 'PATCH', url: '/users/agent02', headers: bearer(admin), payload: { externalId: `sip:${EXTENSION}` } });
    expect(mapped.statusCode, mapped.body).toBe(200);
    [customer] = (await api.db.query<{ id: string; phone: string }>("SELECT id, phone FROM customers WHERE status = 'active' ORDER BY id LIMIT 1")) as [
      { id: string; phone: string },
    ];

    workDir = mkdtempSync(path.join(tmpdir(), 'clm-kamailio-'));
    proxyPort = await freeUdpPort();
    // One phone for every call, as at an agent's desk: a second contact for the same extension would be rung in
    // parallel, and a phone no longer listening holds up the end of a missed call until the proxy gives up on it.
    phonePort = await freeUdpPort();
    // In the foreground (-DD), logging to stderr (-E), one worker (-n 1), its pid file and runtime dir in the temp dir.
    kamailio = await start(
      [
        'kamailio',
        '-f',
        CONFIG,
        '-A',
        `CLM_SIP_LISTEN=udp:127.0.0.1:${proxyPort}`,
        '-DD',
        '-E',
        '-n',
        '1',
        '-m',
        '32',
        '-M',
        '8',
        '-P',
        path.join(workDir, 'kamailio.pid'),
        '-Y',
        workDir,
      ],
      { env: { PATH: process.env.PATH ?? '', CLM_API_URL: baseUrl, CLM_SIP_KEY: SIP_KEY } },
    );

    desk = startBackend({ cachePath: path.join(workDir, 'desk.sqlite'), apiUrl: baseUrl });
    await desk.call('session/login', { username: 'agent02', password: DEMO_PASSWORD });
    await eventually(async () => (await desk.call<DeskOutput<'sync/now'>>('sync/now')).customersCached === TEST_CUSTOMERS, 'the desk to cache the book', 600);
    otherDesk = await openSocket(baseUrl, { protocolToken: await login(api.app, 'agent01') });
    otherDeskMessages = collectMessages(otherDesk);
    // An API, a desk that caches the whole book and Kamailio: more than the default hook time on a busy machine.
  }, 300_000);

  const callEvents = (callId: string) =>
    desk.events.filter((event): event is Extract<DeskEvent, { type: 'call' }> => event.type === 'call' && event.event.callId === callId);

  afterAll(async () => {
    otherDesk?.close();
    await desk?.backend.close();
    await kamailio?.stop();
    await api?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** An answered call: the phone rings and answers, the customer talks briefly and hangs up (BYE). */
  const ANSWERED = { phone: 'agent-phone.xml', caller: 'caller.xml' };
  /** A missed call: the phone rings until the customer gives up (CANCEL, 487). */
  const MISSED = { phone: 'phone-rings.xml', caller: 'caller-gives-up.xml' };

  /**
   * The agent's phone registers `extension`; the customer calls it through a trunk that hides the From user and
   * asserts the number in P-Asserted-Identity. Both SIPp runs must complete: whatever the API answered, the call
   * itself goes through.
   */
  async function callThroughProxy(scenario: typeof ANSWERED, extension: string, callId: string, callerNumber: string): Promise<void> {
    const proxy = `127.0.0.1:${proxyPort}`;
    const env = { PATH: process.env.PATH ?? '' };
    // Retransmitted until Kamailio, started just before, is listening.
    const register = ['-sf', path.join(SCENARIOS, 'register.xml'), '-s', extension, '-key', 'phone_address', `127.0.0.1:${phonePort}`];
    const registered = await run(sipp([...register, '-p', String(await freeUdpPort()), proxy]), { env });
    expect(registered.code, registered.stdout.slice(-2000) + kamailio.output()).toBe(0);

    const agentPhone = await start(sipp(['-sf', path.join(SCENARIOS, scenario.phone), '-p', String(phonePort)]), { env });
    const caller = ['-sf', path.join(SCENARIOS, scenario.caller), '-s', extension, '-key', 'caller', callerNumber, '-cid_str', callId, '-d', '200'];
    const call = await run(sipp([...caller, '-p', String(await freeUdpPort()), proxy]), { env });
    expect(call.code, `${call.stdout.slice(-3000)}\n${kamailio.output()}`).toBe(0);
    expect(await agentPhone.exited, agentPhone.output().slice(-2000)).toBe(0);
  }

  it("rings the agent's desk with the caller's card, follows the answer, and ends the call on the caller's BYE", async () => {
    await callThroughProxy(ANSWERED, EXTENSION, CALL_ID, `+86${customer.phone}`);
    await expect.poll(() => callEvents(CALL_ID).map((event) => event.event.event), { timeout: 15_000 }).toEqual(['offered', 'answered', 'ended']);

    const [offered] = callEvents(CALL_ID);
    expect(offered!.event).toEqual({ callId: CALL_ID, ani: `+86${customer.phone}`, agentId: 'agent02', event: 'offered' });
    const card: CustomerCard | undefined = offered!.card;
    expect(card?.kind).toBe('known');
    expect(card?.customer?.id).toBe(customer.id);

    const { interactions } = await desk.call<DeskOutput<'interaction/list'>>('interaction/list');
    expect(interactions.find((interaction) => interaction.interactionId === CALL_ID)).toMatchObject({
      state: 'wrap_up',
      card: { customer: { id: customer.id } },
    });
    expect(otherDeskMessages).toEqual([]);
  });

  it('puts a call to an extension no agent has through all the same, and Kamailio logs why the API refused it', async () => {
    await callThroughProxy(ANSWERED, '8009', UNMAPPED_CALL_ID, `+86${customer.phone}`);
    expect(kamailio.output()).toMatch(
      /CLM: the central API did not take the offered event of call clm-sip-call-2@127\.0\.0\.1 \(422\): .*unknown_agent.*sip:8009/,
    );
    expect(kamailio.output()).not.toContain(customer.phone);
    expect(callEvents(UNMAPPED_CALL_ID)).toEqual([]);
  });

  it('rings the desk for a call the customer gives up on before the agent answers, and ends it there', async () => {
    await callThroughProxy(MISSED, EXTENSION, MISSED_CALL_ID, `+86${customer.phone}`);
    await expect.poll(() => callEvents(MISSED_CALL_ID).map((event) => event.event.event), { timeout: 15_000 }).toEqual(['offered', 'ended']);
    expect(callEvents(MISSED_CALL_ID)[0]?.card?.customer?.id).toBe(customer.id);
    const { interactions } = await desk.call<DeskOutput<'interaction/list'>>('interaction/list');
    expect(interactions.find((interaction) => interaction.interactionId === MISSED_CALL_ID)?.state).toBe('wrap_up');
  });
});
