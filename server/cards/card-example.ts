// The OpenAPI document's example of GET /cards/by-phone/:phone and /cards/by-customer/:customerId: a demo customer's card, built by
// the shared card builder (with no offers, so the example stays small) and rows masked for an agent.
import type { CardByPhoneResponse } from '../../shared/contract/cache-scope';
import { buildCustomerCard } from '../../shared/domain/customer-card';
import { maskIdNumber } from '../../shared/domain/masking';
import { demoScore, generateDemoCustomer } from '../seed/demo-customers';

const demo = generateDemoCustomer(41);
const customer = { ...demo, idNumber: maskIdNumber(demo.idNumber) };
const score = demoScore(demo);

export const serverCardExample: CardByPhoneResponse = {
  card: buildCustomerCard({
    phone: customer.phone,
    customer,
    score,
    offers: [],
    offerStats: new Map(),
    contactHistory: null,
    recentOutcomes: [],
    channel: 'hotline',
    explorationSeed: 'call-20261207-0193',
    now: new Date('2026-12-07T09:00:00Z'),
  }),
  rows: [
    { entity: 'customer', data: customer },
    { entity: 'score', data: score },
  ],
};
