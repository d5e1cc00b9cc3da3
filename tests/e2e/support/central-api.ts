// What the e2e tests ask the central API directly: a customer to call as, a customer's card, CTI
// events, and what the server stored. Parsed with the same contract the desk uses.
import { v7 as uuidv7 } from 'uuid';
import { CtiCallEvent, LoginResponse, OutcomeListResponse, SyncChangesResponse, type StoredOutcome } from '../../../shared/contract/central-api';
import { CardByPhoneResponse } from '../../../shared/contract/cache-scope';
import type { Customer, CustomerScore } from '../../../shared/contract/entities';
import { E2E_API_URL, E2E_CTI_KEY } from './e2e-env';

export async function apiToken(username: string, password = 'demo1234'): Promise<string> {
  const response = await fetch(`${E2E_API_URL}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`login ${username}: HTTP ${response.status}`);
  return LoginResponse.parse(await response.json()).token;
}

async function firstChanges(token: string) {
  const response = await fetch(`${E2E_API_URL}/sync/changes?after=0&limit=5000`, { headers: { authorization: `Bearer ${token}` } });
  return SyncChangesResponse.parse(await response.json()).changes;
}

/** The first active customers of the book, as the server publishes them. */
export async function activeCustomers(token: string, count: number): Promise<Customer[]> {
  return (await firstChanges(token))
    .flatMap((change) => (change.op === 'upsert' && change.entity === 'customer' && change.data.status === 'active' ? [change.data] : []))
    .slice(0, count);
}

/**
 * An active customer the churn model warns about, with the score the server published:
 * the first one, or with `mostAtRisk` the one with the most value at risk (churn probability
 * × CLV), for whom retention pays and the card has the most to offer; `rank` 1 takes the
 * runner-up (a customer offered something once is not offered again within the cooldown).
 */
export async function warnedCustomer(
  token: string,
  options: { mostAtRisk?: boolean; rank?: number } = {},
): Promise<{ customer: Customer; score: CustomerScore }> {
  const changes = await firstChanges(token);
  const scores = new Map(
    changes.flatMap((change) =>
      change.op === 'upsert' && change.entity === 'score' && change.data.warningLevel !== 'none' ? [[change.id, change.data] as const] : [],
    ),
  );
  const warned = changes.flatMap((change) => {
    if (change.op !== 'upsert' || change.entity !== 'customer' || change.data.status !== 'active') return [];
    const score = scores.get(change.data.id);
    return score ? [{ customer: change.data, score }] : [];
  });
  const atRisk = ({ score }: { score: CustomerScore }) => score.churnProbability * score.clv;
  const chosen = options.mostAtRisk ? [...warned].sort((a, b) => atRisk(b) - atRisk(a))[options.rank ?? 0] : warned[0];
  if (chosen === undefined) throw new Error('no warned active customer in the first page of the book');
  return chosen;
}

/** The card GET /cards/by-customer/:customerId answers for an outbound call, as a desk asks for it on a cache miss. */
export async function cardByCustomer(token: string, customerId: string, deviceId: string): Promise<CardByPhoneResponse['card']> {
  const query = new URLSearchParams({ purpose: 'outbound', viewId: uuidv7(), deviceId });
  const response = await fetch(`${E2E_API_URL}/cards/by-customer/${encodeURIComponent(customerId)}?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status !== 200) throw new Error(`card of ${customerId}: HTTP ${response.status} ${await response.text()}`);
  return CardByPhoneResponse.parse(await response.json()).card;
}

export async function ctiEvent(event: CtiCallEvent): Promise<void> {
  const response = await fetch(`${E2E_API_URL}/cti/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-cti-key': E2E_CTI_KEY },
    body: JSON.stringify(CtiCallEvent.parse(event)),
  });
  if (response.status !== 202) throw new Error(`CTI event: HTTP ${response.status} ${await response.text()}`);
}

export async function storedOutcomesForCall(token: string, callId: string): Promise<StoredOutcome[]> {
  const found: StoredOutcome[] = [];
  for (let after = 0; ;) {
    const response = await fetch(`${E2E_API_URL}/outcomes?after=${after}&limit=1000`, { headers: { authorization: `Bearer ${token}` } });
    const page = OutcomeListResponse.parse(await response.json());
    found.push(...page.outcomes.filter((outcome) => outcome.draft.callId === callId));
    if (page.outcomes.length === 0) return found;
    after = page.nextCursor;
  }
}
