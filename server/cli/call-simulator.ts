// Plays the telephony platform: `npm run calls -- --rate 1/s [--agent agent01] [--count 10]`.
// Each call is offered, answered about a second later, and ended a few seconds after that.
import { parseArgs } from 'node:util';
import type { CtiCallEvent } from '../../shared/contract/central-api';
import { DEV_CTI_KEY } from '../config';
import { DEMO_BOOK_SIZE, DEMO_SEED, generateDemoCustomer, prospectPhone } from '../seed/demo-customers';
import { seededRandom, type SeededRandom } from '../seed/seeded-random';
import { parseRate } from './call-rate';

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
  },
});

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
