// Cards as the desk backend sends them. The assessment comes from the real shared analytics
// (so reasons have the codes the backend produces); offers, decision and the contact policy's
// suppressions are written out, since the card builder that ranks them is another module's job.
import {
  CustomerCard,
  OutboundBestOffer,
  type CardOffer,
  type DeskEvent,
  type OutboundQueue,
  type SearchMatch,
  type Session,
  type SyncStatus,
} from '../../shared/contract/desk-api';
import { assessCustomerWithModel } from '../../shared/analytics/assess-customer';
import { customerSignals } from '../../shared/analytics/customer-signals';
import { DEFAULT_LIFECYCLE_CONFIG } from '../../shared/analytics/lifecycle/lifecycle-config';
import { DEFAULT_VALUE_CONFIG } from '../../shared/analytics/value/value-config';
import type { Customer } from '../../shared/contract/entities';
import { segmentOf } from '../../shared/offers/segments';
import type { OutcomeReportRow, ProgrammeEffect, RetentionReport } from '../../shared/contract/supervisor-reports';
import { PROGRAMME_MIN_GROUP, programmeValue, programmeWindow } from '../../shared/analytics/programme-effect';

export const NOW = new Date('2025-06-15T09:00:00Z');

export const AGENT_SESSION: Session = {
  agentId: 'agent01',
  role: 'agent',
  displayName: '王丽',
  team: 'team-a',
  expiresAt: '2025-06-15T17:00:00Z',
  contactHours: { from: '08:00', to: '21:00' },
};
export const STORE_SESSION: Session = { ...AGENT_SESSION, agentId: 'store01', role: 'store', displayName: '李娜', team: null };
export const SUPERVISOR_SESSION: Session = { ...AGENT_SESSION, agentId: 'sup01', role: 'supervisor', displayName: '陈主管' };

export const SYNC_ONLINE: SyncStatus = {
  online: true,
  cursor: 42,
  lastSyncAt: '2025-06-15T08:59:00Z',
  outboxPending: 0,
  outboxDead: 0,
  oldestPendingAt: null,
  customersCached: 1000,
  lastError: null,
};

const twelve = (values: number[]) => values;

/** A long-standing customer whose spend is falling and who has complained: stage D, red warning. */
export const DECLINING_CUSTOMER: Customer = {
  id: 'c-1001',
  name: '张伟',
  phone: '13800138000',
  idNumber: '110101198001011234',
  planCode: 'P129',
  planName: { zh: '畅享 129 元套餐', en: 'Unlimited 129' },
  monthlyFee: 129,
  joinDate: '2019-03-10',
  contractEnd: '2025-07-10',
  status: 'active',
  churnDate: null,
  arpu: twelve([150, 150, 150, 150, 150, 150, 150, 150, 150, 110, 105, 100]),
  dataUsageGb: twelve([20, 20, 20, 20, 20, 20, 20, 20, 20, 15, 14, 12]),
  voiceMinutes: twelve([300, 300, 300, 300, 300, 300, 300, 300, 300, 280, 260, 250]),
  complaints30d: 2,
  complaints90d: 3,
  networkIssues90d: 1,
  marketingConsent: true,
  doNotDisturb: false,
  version: 1,
};

/** DECLINING_CUSTOMER as the real analytics assess it from a model's estimate. */
export const DECLINING_ASSESSMENT = assessCustomerWithModel(
  DECLINING_CUSTOMER,
  customerSignals(DECLINING_CUSTOMER, NOW),
  {
    probability: 0.95,
    warningLevel: 'red',
    reasons: [
      { code: 'feature_contribution', params: { feature: 'complaints_30d', value: 2, effect: 1.2 } },
      { code: 'feature_contribution', params: { feature: 'arpu_trend_3m', value: -30, effect: 0.8 } },
      { code: 'feature_contribution', params: { feature: 'network_issues_90d', value: 1, effect: 0.5 } },
    ],
  },
  {
    modelId: 'test-gbdt-1',
    lifecycle: DEFAULT_LIFECYCLE_CONFIG,
    value: DEFAULT_VALUE_CONFIG,
    calibration: {
      valueConfigVersion: DEFAULT_VALUE_CONFIG.version,
      fittedOn: 1000,
      recencyCuts: [0, 0, 1, 2],
      frequencyCuts: [100, 200, 400, 800],
      monetaryCuts: [30, 60, 90, 150],
      tierThresholds: { platinum: 5000, gold: 2000, silver: 100 },
    },
  },
);

type Objections = CardOffer['script']['zh']['objections'];

function offer(
  fields: Pick<CardOffer, 'offerId' | 'kind' | 'name' | 'expectedValue' | 'pAccept' | 'value' | 'cost' | 'contactCost'> &
    Partial<Pick<CardOffer, 'explored' | 'experiment' | 'why'>>,
  opening: { zh: string; en: string },
  objections: { zh: Objections; en: Objections },
): CardOffer {
  return {
    explored: false,
    experiment: null,
    why: [{ code: 'fits_stage', params: { stage: 'D' } }],
    ...fields,
    script: {
      zh: { opening: opening.zh, pitch: `为您准备了${fields.name.zh}。`, objections: objections.zh },
      en: { opening: opening.en, pitch: `We have ${fields.name.en} for you.`, objections: objections.en },
    },
  };
}

const GREETING = { zh: '张伟您好,感谢您在网75个月。', en: 'Hello 张伟, thank you for 75 months with us.' };
/** Price is what this customer's falling spend predicts; network follows. */
const OBJECTIONS = {
  zh: [
    { kind: 'price', answer: '优惠后每月更省钱。', likely: true },
    { kind: 'network', answer: '我们已安排网络优化。', likely: false },
  ],
  en: [
    { kind: 'price', answer: 'It costs less each month after the discount.', likely: true },
    { kind: 'network', answer: 'We have scheduled a network fix.', likely: false },
  ],
} satisfies { zh: Objections; en: Objections };

export const RETENTION_OFFER = offer(
  {
    offerId: 'off-ret-1',
    kind: 'retention',
    name: { zh: '续约送 20GB 流量', en: 'Renew and get 20 GB' },
    expectedValue: 512.4,
    pAccept: 0.42,
    value: 1350,
    cost: 60,
    contactCost: 5.4,
    experiment: { id: 'exp-renew', arm: 'champion' },
  },
  GREETING,
  OBJECTIONS,
);
export const CARE_OFFER = offer(
  {
    offerId: 'off-care-1',
    kind: 'care',
    name: { zh: '网络问题致歉礼包', en: 'Network apology credit' },
    expectedValue: 180,
    pAccept: 0.6,
    value: 400,
    cost: 90,
    contactCost: 6,
    explored: true,
  },
  GREETING,
  OBJECTIONS,
);
export const DOWNGRADE_OFFER = offer(
  {
    offerId: 'off-ret-2',
    kind: 'retention',
    name: { zh: '降档保号 59 元', en: 'Keep your number for 59' },
    expectedValue: 95.5,
    pAccept: 0.35,
    value: 300,
    cost: 10,
    contactCost: 6,
    experiment: { id: 'exp-renew', arm: 'challenger' },
  },
  GREETING,
  OBJECTIONS,
);

export function knownCard(overrides: Partial<CustomerCard> = {}): CustomerCard {
  const a = DECLINING_ASSESSMENT;
  return CustomerCard.parse({
    kind: 'known',
    phoneMasked: '138****8000',
    customer: {
      id: DECLINING_CUSTOMER.id,
      name: DECLINING_CUSTOMER.name,
      planName: DECLINING_CUSTOMER.planName,
      monthlyFee: DECLINING_CUSTOMER.monthlyFee,
      tenureMonths: 75,
      status: 'active',
      contractEnd: DECLINING_CUSTOMER.contractEnd,
      idNumberMasked: '110101********1234',
    },
    assessment: {
      modelVersion: a.modelVersion,
      stage: a.stage,
      stageReasons: a.stageReasons,
      valueTier: a.valueTier,
      clv: a.clv,
      arpu3m: a.arpu3m,
      rfm: a.rfm,
      personalKeyCustomer: a.personalKeyCustomer,
      churnProbability: a.churnProbability,
      warningLevel: a.warningLevel,
      topReasons: a.topReasons,
    },
    segment: segmentOf(a.stage, a.valueTier),
    decision: { kind: 'retain', reasons: [{ code: 'churn_risk', params: { pct: 95 } }] },
    offers: [RETENTION_OFFER, CARE_OFFER, DOWNGRADE_OFFER],
    suppressed: [{ offerId: 'off-up-5g', name: { zh: '5G 升档包', en: '5G upgrade' }, reason: { code: 'contract_ends_in_days', params: { days: 25 } } }],
    recentOutcomes: [],
    ...overrides,
  });
}

export const ACQUISITION_OFFER = offer(
  {
    offerId: 'off-acq-1',
    kind: 'acquisition',
    name: { zh: '新入网首月免费', en: 'First month free' },
    expectedValue: 320,
    pAccept: 0.5,
    value: 800,
    cost: 150,
    contactCost: 5,
    why: [{ code: 'fits_stage', params: { stage: 'prospect' } }],
  },
  { zh: '您好,欢迎咨询。', en: 'Hello, thanks for calling.' },
  { zh: [], en: [] },
);

export function prospectCard(phone = '13900001111'): CustomerCard {
  return CustomerCard.parse({
    kind: 'prospect',
    phoneMasked: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
    customer: null,
    assessment: {
      modelVersion: 'prospect',
      stage: 'prospect',
      stageReasons: [{ code: 'not_a_subscriber', params: {} }],
      valueTier: null,
      clv: null,
      arpu3m: null,
      rfm: null,
      personalKeyCustomer: false,
      churnProbability: null,
      warningLevel: 'none',
      topReasons: [],
    },
    segment: segmentOf('prospect', null),
    decision: { kind: 'acquire', reasons: [{ code: 'not_a_subscriber', params: {} }] },
    offers: [ACQUISITION_OFFER],
    suppressed: [],
    recentOutcomes: [],
  });
}

/** A CTI call event as the desk forwards it; `card` is the caller's card the desk built as it rang. */
export function callEvent(event: 'offered' | 'answered' | 'ended', callId = 'call-1', ani = '13800138000', card?: CustomerCard): DeskEvent {
  const call = { type: 'call', event: { callId, ani, agentId: AGENT_SESSION.agentId, event }, at: NOW.toISOString() } as const;
  return card === undefined ? call : { ...call, card };
}

export const SEARCH_MATCHES: SearchMatch[] = [
  {
    customerId: 'c-1001',
    name: '张伟',
    phoneMasked: '138****8000',
    idNumberMasked: '110101********1234',
    planName: DECLINING_CUSTOMER.planName,
    status: 'active',
    matchedOn: 'name',
  },
  {
    customerId: 'c-1002',
    name: '张伟明',
    phoneMasked: '139****2222',
    idNumberMasked: '310101********5678',
    planName: { zh: '畅享 59 元套餐', en: 'Unlimited 59' },
    status: 'active',
    matchedOn: 'name',
  },
  {
    customerId: 'c-1003',
    name: '章伟',
    phoneMasked: '137****3333',
    idNumberMasked: '440101********9012',
    planName: { zh: '畅享 99 元套餐', en: 'Unlimited 99' },
    status: 'churned',
    matchedOn: 'name_fuzzy',
  },
];

/** Interleaved on purpose: the desk must still list the callbacks first. */
export const OUTBOUND_QUEUE: OutboundQueue = {
  generatedAt: NOW.toISOString(),
  cachedAt: null,
  items: [
    {
      customerId: 'c-2001',
      name: '刘洋',
      phoneMasked: '135****0001',
      slot: 'at_risk',
      callbackAt: null,
      overdue: false,
      stage: 'D',
      warningLevel: 'red',
      churnProbability: 0.81,
      valueTier: 'gold',
      expectedValue: RETENTION_OFFER.expectedValue,
      bestOffer: OutboundBestOffer.parse(RETENTION_OFFER),
    },
    {
      customerId: 'c-2002',
      name: '赵敏',
      phoneMasked: '135****0002',
      slot: 'callback',
      callbackAt: '2025-06-15T10:30:00Z',
      overdue: false,
      stage: 'D',
      warningLevel: 'orange',
      churnProbability: 0.55,
      valueTier: 'silver',
      expectedValue: DOWNGRADE_OFFER.expectedValue,
      bestOffer: OutboundBestOffer.parse(DOWNGRADE_OFFER),
    },
    {
      customerId: 'c-2003',
      name: '孙丽',
      phoneMasked: '135****0003',
      slot: 'at_risk',
      callbackAt: null,
      overdue: false,
      stage: 'C',
      warningLevel: 'yellow',
      churnProbability: 0.33,
      valueTier: 'platinum',
      expectedValue: 410,
      bestOffer: null,
    },
  ],
};

/** The catalogue names the reports carry (off-care-1 and off-ret-2 as on the cards). */
export const REPORT_OFFER_NAMES = {
  'off-ret-1': RETENTION_OFFER.name,
  'off-ret-2': DOWNGRADE_OFFER.name,
  'off-care-1': { zh: '网络问题致歉礼包', en: 'Network apology credit' },
};

/** One programme 90 days in with enough data (9 % against 13 % churn), one too young to tell. */
const PROGRAMME_WINDOWS = [
  programmeWindow(30, { customers: 2400, churned: 72 }, { customers: 260, churned: 12 }),
  programmeWindow(60, { customers: 2400, churned: 150 }, { customers: 260, churned: 24 }),
  programmeWindow(90, { customers: 2400, churned: 216 }, { customers: 260, churned: 34 }),
];
export const PROGRAMME_EFFECTS: ProgrammeEffect[] = [
  {
    programmeId: 'PRG-RET',
    controlShare: 0.1,
    offerIds: ['off-ret-1', 'off-ret-2'],
    assigned: { treated: 3100, control: 340, exempt: 410 },
    windows: PROGRAMME_WINDOWS,
    value: programmeValue(PROGRAMME_WINDOWS, new Map([[90, { arpuSum: 2400 * 78, cost: 61_000 }]]), 12),
    minimumGroup: PROGRAMME_MIN_GROUP,
    expectedMonthsKept: 12,
  },
  {
    programmeId: 'PRG-NEW',
    controlShare: 0.05,
    offerIds: ['off-care-1'],
    assigned: { treated: 300, control: 14, exempt: 20 },
    windows: [
      programmeWindow(30, { customers: 120, churned: 4 }, { customers: 6, churned: 0 }),
      programmeWindow(60, { customers: 0, churned: 0 }, { customers: 0, churned: 0 }),
    ],
    value: null,
    minimumGroup: PROGRAMME_MIN_GROUP,
    expectedMonthsKept: 12,
  },
];

export const RETENTION_REPORT: RetentionReport = {
  query: { from: '2025-05-17', to: '2025-06-15', team: null },
  generatedAt: NOW.toISOString(),
  kpis: {
    atRiskContacted: 120,
    saveRate: { numerator: 78, denominator: 100, rate: 0.78 },
    presentationRate: { numerator: 150, denominator: 200, rate: 0.75 },
    acceptanceRate: { numerator: 45, denominator: 120, rate: 0.375 },
    retainedRevenue: 86400,
    expectedMonthsKept: 12,
    averageHandleSeconds: 245,
    contacts: 200,
  },
  trend: [
    { date: '2025-06-14', contacts: 10, presented: 8, accepted: 3, atRiskContacted: 6 },
    { date: '2025-06-15', contacts: 12, presented: 9, accepted: 4, atRiskContacted: 7 },
  ],
  uplift: {
    contacted: { customers: 120, churned: 18, churnRate: 0.15 },
    notContacted: { customers: 300, churned: 90, churnRate: 0.3 },
    uplift: 0.15,
  },
  experiments: [
    {
      experimentId: 'exp-renew',
      champion: { offerId: 'off-ret-1', presented: 80, accepted: 30, rate: 0.37, interval: [0.27, 0.48] },
      challengers: [{ offerId: 'off-ret-2', presented: 40, accepted: 18, rate: 0.44, interval: [0.3, 0.59], probabilityBeatsChampion: 0.76 }],
    },
  ],
  programmes: PROGRAMME_EFFECTS,
  offerNames: REPORT_OFFER_NAMES,
};

const RESULTS = ['accepted', 'declined', 'callback', 'not_presented'] as const;
const AGENTS = ['agent01', 'agent02', 'agent03'] as const;
const STAGES = ['C', 'D', 'E'] as const;

/** n outcome rows cycling through results, agents, stages and two offers; deterministic. */
export function outcomeRows(n: number): OutcomeReportRow[] {
  return Array.from({ length: n }, (_, i) => {
    const result = RESULTS[i % RESULTS.length]!;
    return {
      outcomeId: `o-${String(i).padStart(6, '0')}`,
      recordedAt: new Date(NOW.getTime() - i * 60_000).toISOString(),
      agentId: AGENTS[i % AGENTS.length]!,
      team: 'team-a',
      channel: 'hotline',
      customerId: `c-${i}`,
      phoneMasked: `138****${String(i % 10_000).padStart(4, '0')}`,
      stage: STAGES[i % STAGES.length]!,
      valueTier: 'silver',
      warningLevel: 'red',
      segment: segmentOf(STAGES[i % STAGES.length]!, 'silver'),
      offerId: i % 2 === 0 ? 'off-ret-1' : 'off-care-1',
      offerKind: i % 2 === 0 ? 'retention' : 'care',
      result,
      reason: result === 'declined' ? 'price' : result === 'not_presented' ? 'customer_busy' : null,
      expectedValue: 100 + (i % 7) * 10,
      retainedRevenue: result === 'accepted' && i % 2 === 0 ? 1200 : 0,
    };
  });
}
