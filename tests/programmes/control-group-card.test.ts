// The card of a customer a retention programme holds out: a care action and no retention offer, in
// words that say nothing of a control group; released the moment a complaint or fault is on record.
import { describe, expect, it } from 'vitest';
import { RetentionProgramme } from '../../shared/contract/retention-programmes';
import { buildCustomerCard, type CardRows } from '../../shared/domain/customer-card';
import { assignedArm } from '../../shared/programmes/control-group';
import type { Customer } from '../../shared/contract/entities';
import { customer, NOW, offer, score } from '../offers/fixtures';

const programme = RetentionProgramme.parse({ id: 'PRG-CARD', controlShare: 0.1 });
const ids = Array.from({ length: 1000 }, (_, i) => `C${String(i).padStart(7, '0')}`);
const controlId = ids.find((id) => assignedArm(id, programme) === 'control')!;
const treatedId = ids.find((id) => assignedArm(id, programme) === 'treated')!;

const retention = offer('RET-BONUS', {
  kind: 'retention',
  valueBasis: 'customer_value',
  costYuan: 20,
  priorAcceptance: { alpha: 5, beta: 5 },
  eligibility: { field: 'warningLevel', op: 'in', value: ['red', 'orange', 'yellow'] },
  programme,
});
const serviceCheck = offer('CARE-CHECK', {
  kind: 'care',
  costYuan: 0,
  contactCostYuan: 2,
  eligibility: { field: 'warningLevel', op: 'in', value: ['red', 'orange', 'yellow'] },
  script: {
    opening: { zh: '{name}您好,回访一下', en: 'Hello {name}, a quick service check' },
    pitch: { zh: '一切顺利吗?', en: 'Is everything working?' },
    objections: [],
  },
});

function cardOf(person: Customer) {
  const rows: CardRows = {
    phone: person.phone,
    customer: person,
    score: score({ customerId: person.id, warningLevel: 'red', churnProbability: 0.6, clv: 3000 }),
    offers: [retention, serviceCheck],
    offerStats: new Map(),
    contactHistory: null,
    recentOutcomes: [],
    channel: 'hotline',
    explorationSeed: 'call-1',
    now: NOW,
  };
  return buildCustomerCard(rows);
}

describe('the card of a held-out customer', () => {
  it('shows a care action and no retention offer', () => {
    const card = cardOf(customer({ id: controlId }));
    expect(card.offers.map((o) => o.offerId)).toEqual(['CARE-CHECK']);
    expect(card.offers[0]?.kind).toBe('care');
    expect(card.decision.kind).toBe('let_go');
    expect(card.suppressed).toEqual([]);
  });

  it('says nothing of a control group or programme, to the agent or in the script', () => {
    const text = JSON.stringify(cardOf(customer({ id: controlId })));
    for (const word of ['PRG-CARD', 'programme', 'control', 'hold', '对照']) expect(text).not.toContain(word);
  });

  it('makes the retention offer to a treated customer, and to a held-out one with a complaint or network fault', () => {
    expect(cardOf(customer({ id: treatedId })).offers[0]?.offerId).toBe('RET-BONUS');
    expect(cardOf(customer({ id: controlId, complaints30d: 1 })).offers[0]?.offerId).toBe('RET-BONUS');
    expect(cardOf(customer({ id: controlId, networkIssues90d: 1 })).offers[0]?.offerId).toBe('RET-BONUS');
  });
});
