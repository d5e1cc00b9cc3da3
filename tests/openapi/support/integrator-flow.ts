// What an integrator writes with the committed client types and openapi-fetch: log in, pull the
// change feed until it holds a customer and an offer, record an outcome for them, and push a call
// event as the telephony platform. It imports nothing from the server or the shared contract, so it
// compiles only if the generated types describe these calls.
import createClient from 'openapi-fetch';
import type { components, paths } from '../../../clients/central-api/schema';

export interface FlowInput {
  baseUrl: string;
  username: string;
  password: string;
  ctiKey: string;
  deviceId: string;
  /** A UUIDv7 made by the caller: the outcome's idempotency key. */
  outcomeId: string;
  recordedAt: string;
}

type OutcomeBatchResult = paths['/outcomes/batch']['post']['responses'][200]['content']['application/json'];

export interface FlowResult {
  user: components['schemas']['User'];
  changesRead: number;
  customer: components['schemas']['Customer'];
  offer: components['schemas']['Offer'];
  outcomes: OutcomeBatchResult;
  cti: { status: number; accepted: boolean };
}

const failed = (step: string, error: { message: string } | undefined, status: number) =>
  new Error(`${step} answered ${status}: ${error?.message ?? 'no body'}`);

export async function runIntegratorFlow(input: FlowInput): Promise<FlowResult> {
  const client = createClient<paths>({ baseUrl: input.baseUrl });

  const login = await client.POST('/auth/login', { body: { username: input.username, password: input.password } });
  if (login.data === undefined) throw failed('POST /auth/login', login.error, login.response.status);
  const headers = { Authorization: `Bearer ${login.data.token}` };

  let customer: components['schemas']['Customer'] | undefined;
  let offer: components['schemas']['Offer'] | undefined;
  let after = 0;
  let changesRead = 0;
  for (let hasMore = true; hasMore && (customer === undefined || offer === undefined);) {
    const page = await client.GET('/sync/changes', { params: { query: { after, limit: 500 } }, headers });
    if (page.data === undefined) throw failed('GET /sync/changes', page.error, page.response.status);
    for (const change of page.data.changes) {
      if (change.op !== 'upsert') continue;
      if (change.entity === 'customer') customer ??= change.data;
      if (change.entity === 'offer') offer ??= change.data;
    }
    changesRead += page.data.changes.length;
    ({ nextCursor: after, hasMore } = page.data);
  }
  if (customer === undefined || offer === undefined) throw new Error('the change feed holds no customer or no offer');

  const callId = `integrator-${input.outcomeId}`;
  const outcomes = await client.POST('/outcomes/batch', {
    headers,
    body: {
      deviceId: input.deviceId,
      items: [
        {
          outcomeId: input.outcomeId,
          deviceId: input.deviceId,
          clientSeq: 1,
          agentId: login.data.user.id,
          recordedAt: input.recordedAt,
          draft: { callId, customerId: customer.id, phone: null, offerId: offer.id, result: 'accepted', channel: 'hotline' },
        },
      ],
    },
  });
  if (outcomes.data === undefined) throw failed('POST /outcomes/batch', outcomes.error, outcomes.response.status);

  const call = await client.POST('/cti/calls', {
    headers: { 'X-CTI-Key': input.ctiKey },
    body: { callId, ani: customer.phone, agentId: login.data.user.id, event: 'offered' },
  });
  if (call.data === undefined) throw failed('POST /cti/calls', call.error, call.response.status);

  return {
    user: login.data.user,
    changesRead,
    customer,
    offer,
    outcomes: outcomes.data,
    cti: { status: call.response.status, accepted: call.data.accepted },
  };
}
