// GET /outbound/queue leaves out the at-risk customers a retention call would put off ("sleeping
// dogs", issue 20): those whose card, opened for the call, says so because the bundle's uplift model
// of the programme of their retention offers expects the call to raise their churn. A desk checks
// this itself only for the customers it caches, so the server does it for the whole share. Here the
// programme's model is fitted on made-up assignments in which a call puts off customers who gave
// no marketing consent and helps the others.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import { fitUpliftModel, type UpliftExample } from '../../shared/analytics/uplift/uplift-model';
import { CardByPhoneResponse } from '../../shared/contract/cache-scope';
import type { Customer } from '../../shared/contract/entities';
import { retentionCallHarms } from '../../shared/offers/arbitrate';
import type { CentralApi } from '../../server/app';
import { publishScoringBundle, readScoringBundleJson } from '../../server/scoring/scoring-bundle-store';
import { TEST_NOW } from '../support/test-clock';
import { atRiskIdsOf, outboundQueueOf, warnEveryScoreRed } from './support/outbound-queue';
import { reachableAtRisk } from './support/outbound-reachable';
import { bearer, login, startTestApi } from './support/test-api';

const AGENTS = ['agent01', 'agent02', 'agent03', 'agent04', 'agent05'];
/** A programme of the catalogue's retention offers (server/catalog/offers/retention.json). */
const PROGRAMME_ID = 'PRG-RETENTION-2026H2';
/** Per marketing consent and group, the share leaving: a call raises churn without consent and halves it with. */
const LEAVING = { no: { treated: 0.7, control: 0.4 }, yes: { treated: 0.3, control: 0.6 } } as const;
const PER_CELL = 600;

let api: CentralApi;
const tokens = new Map<string, string>();

beforeAll(async () => {
  // The cards' clock is the real one, as the queue's: whether a call puts someone off is decided as of now.
  api = await startTestApi({ seedCustomers: 300, clock: () => new Date() });
  // Every customer warned red, so that the share holds customers of both kinds.
  await warnEveryScoreRed(api.db);
  for (const agent of AGENTS) tokens.set(agent, await login(api.app, agent));
});
afterAll(() => api?.close());

async function atRiskListed(): Promise<string[]> {
  const listed: string[] = [];
  for (const agent of AGENTS) listed.push(...atRiskIdsOf(await outboundQueueOf(api.app, tokens.get(agent)!)));
  expect(new Set(listed).size).toBe(listed.length);
  return listed;
}

/** The programme's uplift model, published in the scoring bundle as a scoring run would. */
async function publishUpliftModel(): Promise<void> {
  const examples: UpliftExample[] = Object.entries(LEAVING).flatMap(([consent, leaving]) =>
    (['treated', 'control'] as const).flatMap((arm) =>
      Array.from({ length: PER_CELL }, (_, i) => ({ features: [consent], arm, churned: i < PER_CELL * leaving[arm] })),
    ),
  );
  const model = fitUpliftModel(examples, { programmeId: PROGRAMME_ID, windowDays: 90, featureColumns: ['marketing_consent'] });
  expect(model).not.toBeNull();
  const bundle = ScoringBundle.parse(JSON.parse((await readScoringBundleJson(api.db))!.json));
  expect((await publishScoringBundle(api.db, { ...bundle, upliftModels: [model!] }, TEST_NOW)).changed).toBe(true);
}

/** Whether the card an agent opens for an outbound call to the customer says a retention call would put them off. */
async function cardSaysPutOff(customerId: string): Promise<boolean> {
  const response = await api.app.inject({
    method: 'GET',
    url: `/cards/by-customer/${encodeURIComponent(customerId)}?purpose=outbound&viewId=${uuidv7()}&deviceId=desk-test`,
    headers: bearer(tokens.get('agent01')!),
  });
  expect(response.statusCode, response.body).toBe(200);
  return retentionCallHarms(CardByPhoneResponse.parse(response.json()).card.decision);
}

describe('the outbound share and the uplift models', () => {
  it('lists every reachable at-risk customer while no programme has an uplift model', async () => {
    expect(new Set(await atRiskListed())).toEqual(new Set((await reachableAtRisk(api.db)).keys()));
  });

  it('leaves out exactly the customers whose outbound card says a retention call would put them off, once the model is published', async () => {
    await publishUpliftModel();
    const reachable = [...(await reachableAtRisk(api.db)).keys()];
    const putOff = new Set<string>();
    for (const id of reachable) if (await cardSaysPutOff(id)) putOff.add(id);
    const consented = new Map(
      (await api.db.query<{ id: string; data: Customer }>('SELECT id, data FROM customers WHERE id = ANY($1)', [reachable])).map((r) => [
        r.id,
        r.data.marketingConsent,
      ]),
    );
    expect(putOff.size).toBeGreaterThan(0);
    expect(putOff.size).toBeLessThan(reachable.length);
    for (const id of putOff) expect(consented.get(id), id).toBe(false);

    expect(new Set(await atRiskListed())).toEqual(new Set(reachable.filter((id) => !putOff.has(id))));
  });
});
