// Plays the telephony platform: `npm run calls -- --rate 1/s [--agent agent01] [--count 10]`.
// Each call is offered, answered about a second later, and ended a few seconds after that.
// `npm run calls -- --replay tests/fixtures/cti/<vendor>/<file>.json` instead sends one fixture as its
// platform would (signed webhook, Amazon Connect's EventBridge destination, Genesys's notification channel,
// a SIP proxy's signed events, FreeSWITCH's Event Socket).
import { parseArgs } from 'node:util';
import type { CtiCallEvent } from '../../shared/contract/central-api';
import { DEV_CTI_KEY } from '../config';
import { DEMO_BOOK_SIZE, DEMO_SEED, generateDemoCustomer, prospectPhone } from '../seed/demo-customers';
import { seededRandom, type SeededRandom } from '../seed/seeded-random';
import { parseRate } from './call-rate';
import { fixtureExternalId, loadCtiFixture, replayCtiFixture, type CtiFixture } from './cti-fixtures';
import { startFakeEventSocket } from './fake-event-socket';
import { startFakeGenesys } from './fake-genesys';

const ANSWER_AFTER_MS = 1000;
const TALK_MS: readonly [number, number] = [3000, 8000];

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1/5s' },
    agent: { type: 'string', default: 'agent01' },
    count: { type: 'string' },
    api: { type: 'string', default: process.env.CLM_API_URL ?? 'http://127.0.0.1:4310' },
    'cti-key': { type: 'string', default: process.env.CLM_CTI_KEY || DEV_CTI_KEY },
    customers: { type: 'string', default: String(DEMO_BOOK_SIZE) },
    'unknown-share': { type: 'string', default: '0.1' },
    replay: { type: 'string' },
    'webhook-key': { type: 'string', default: (process.env.CLM_CTI_WEBHOOK_KEYS ?? '').split(',')[0] },
    'connect-key': { type: 'string', default: (process.env.CLM_CONNECT_KEYS ?? '').split(',')[0] },
    'genesys-port': { type: 'string', default: '4330' },
    'sip-key': { type: 'string', default: (process.env.CLM_SIP_KEYS ?? '').split(',')[0] },
    'freeswitch-port': { type: 'string', default: '8021' },
  },
});

/** The fake Event Socket's password, which the API is started with for a FreeSWITCH replay. */
const REPLAY_FREESWITCH_PASSWORD = 'clm-replay-event-socket';

/** The fake organisation's OAuth client, which the API is started with for a Genesys replay. */
const REPLAY_GENESYS_CLIENT = { clientId: 'clm-replay', clientSecret: 'clm-replay-secret' };

async function replay(path: string): Promise<void> {
  let fixture: CtiFixture;
  try {
    fixture = loadCtiFixture(path);
  } catch (error) {
    fail((error as Error).message);
  }
  console.log(`Replaying ${path} (${fixture.vendor}): ${fixture.description}\nSource: ${fixture.source.join('\n        ')}`);
  const externalId = fixtureExternalId(fixture);
  if (externalId !== null)
    console.log(
      `The desk that rings is the user with external id ${externalId} (npm run clm -- users set-external-id --username <user> --external-id ${externalId}).`,
    );
  const onAnswer = (status: number, body: string) => console.log(`  → HTTP ${status} ${body}`);
  const agentId = values.agent === 'agent01' ? undefined : values.agent;
  if (fixture.vendor === 'freeswitch') {
    const eventSocket = await startFakeEventSocket({ password: REPLAY_FREESWITCH_PASSWORD, port: Number(values['freeswitch-port']) });
    console.log(
      `A fake FreeSWITCH Event Socket listens on 127.0.0.1:${eventSocket.port}. Start the API with\n` +
        `  CLM_FREESWITCH_HOST=127.0.0.1 CLM_FREESWITCH_PORT=${eventSocket.port} CLM_FREESWITCH_PASSWORD=${REPLAY_FREESWITCH_PASSWORD} npm run server -- --demo\n` +
        'Waiting for its connector to subscribe…',
    );
    await replayCtiFixture(fixture, { apiUrl: values.api, eventSocket });
    console.log(`Played ${fixture.events.length} channel events.`);
    // Let the last events leave before the connection closes.
    await sleep(1000);
    return eventSocket.close();
  }
  if (fixture.vendor !== 'genesys')
    return replayCtiFixture(fixture, {
      apiUrl: values.api,
      webhookKey: values['webhook-key'] || undefined,
      connectKey: values['connect-key'] || undefined,
      sipKey: values['sip-key'] || undefined,
      agentId,
      onAnswer,
    });

  const genesys = await startFakeGenesys({ ...REPLAY_GENESYS_CLIENT, port: Number(values['genesys-port']) });
  console.log(
    `A fake Genesys Cloud notification service listens on ${genesys.url}. Start the API with\n` +
      `  CLM_GENESYS_CLIENT_ID=${REPLAY_GENESYS_CLIENT.clientId} CLM_GENESYS_CLIENT_SECRET=${REPLAY_GENESYS_CLIENT.clientSecret} ` +
      `CLM_GENESYS_API_URL=${genesys.url} CLM_GENESYS_LOGIN_URL=${genesys.url} npm run server -- --demo\n` +
      'Waiting for its connector to subscribe to the agent…',
  );
  await replayCtiFixture(fixture, { apiUrl: values.api, genesys });
  console.log(`Played ${fixture.messages.length} notification messages.`);
  // Let the last messages leave before the connection closes.
  await sleep(1000);
  await genesys.close();
}

let intervalMs: number;
try {
  intervalMs = parseRate(values.rate);
} catch (error) {
  fail((error as Error).message);
}
const count = values.count === undefined ? Infinity : Number(values.count);
const bookSize = Number(values.customers);
const unknownShare = Number(values['unknown-share']);
if (!(count > 0) || !Number.isInteger(bookSize) || bookSize < 1 || !(unknownShare >= 0 && unknownShare <= 1))
  fail('--count must be positive, --customers a whole number >= 1, --unknown-share between 0 and 1');

const random = seededRandom(Date.now() % 2 ** 31);
const endpoint = new URL('/cti/calls', values.api).toString();

async function send(event: CtiCallEvent): Promise<void> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cti-key': values['cti-key'] },
      body: JSON.stringify(event),
    });
  } catch (error) {
    fail(`Cannot reach the CLM central API at ${values.api} (${(error as Error).cause ?? (error as Error).message}). Is it running (npm run server)?`);
  }
  if (response.status !== 202) fail(`The API refused the ${event.event} event: HTTP ${response.status} ${await response.text()}`);
}

/** A caller from the book (sometimes written as the switch delivers it, with +86) or an unknown number. */
function pickCaller(rng: SeededRandom): { ani: string; label: string } {
  if (rng.chance(unknownShare)) return { ani: prospectPhone(rng), label: 'unknown number (prospect)' };
  const index = rng.int(0, bookSize - 1);
  const customer = generateDemoCustomer(index, DEMO_SEED);
  return { ani: rng.chance(0.2) ? `+86${customer.phone}` : customer.phone, label: `customer #${index} ${customer.name} (${customer.status})` };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function simulateCall(n: number): Promise<void> {
  const callId = `sim-${Date.now().toString(36)}-${n}`;
  const { ani, label } = pickCaller(random);
  const base = { callId, ani, agentId: values.agent };
  await send({ ...base, event: 'offered' });
  const talkMs = random.int(TALK_MS[0], TALK_MS[1]);
  console.log(`${new Date().toISOString()} call ${callId}: ${ani} → ${values.agent}, ${label}, ends in ~${Math.round((ANSWER_AFTER_MS + talkMs) / 1000)} s`);
  await sleep(ANSWER_AFTER_MS);
  await send({ ...base, event: 'answered' });
  await sleep(talkMs);
  await send({ ...base, event: 'ended' });
}

if (values.replay !== undefined) {
  await replay(values.replay).catch((error: Error) => fail(error.message));
  process.exit(0);
}

console.log(
  `Simulating calls to ${values.agent} via ${values.api}: one every ${(intervalMs / 1000).toFixed(1)} s${Number.isFinite(count) ? `, ${count} in all` : ''} (Ctrl+C to stop)`,
);
// Calls overlap (a new one may start before the last has ended); only the ones in flight are kept.
const inFlight = new Set<Promise<void>>();
for (let n = 1; n <= count; n++) {
  const call = simulateCall(n).finally(() => inFlight.delete(call));
  inFlight.add(call);
  if (n < count) await sleep(intervalMs);
}
await Promise.all(inFlight);
