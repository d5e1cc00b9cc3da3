// Cards built by the real shared card builder from synthetic rows, so tests see the
// reason codes and shapes the backend produces.
import type { CustomerCard, DeskEvent, Session, SyncStatus } from '../../shared/contract/desk-api';
import { assessCustomerWithModel } from '../../shared/analytics/assess-customer';
import { customerSignals } from '../../shared/analytics/customer-signals';
import { DEFAULT_LIFECYCLE_CONFIG } from '../../shared/analytics/lifecycle/lifecycle-config';
import { DEFAULT_VALUE_CONFIG } from '../../shared/analytics/value/value-config';
import type { Customer, CustomerScore, Offer } from '../../shared/contract/entities';
import { buildCustomerCard } from '../../shared/domain/customer-card';

export const NOW = new Date('2025-06-15T09:00:00Z');

export const AGENT_SESSION: Session = {
  agentId: 'agent01',
  role: 'agent',
  displayName: '王丽',
  expiresAt: '2025-06-15T17:00:00Z',
};

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

const script = (zhOffer: string, enOffer: string): Offer['script'] => ({
  opening: { zh: '{name}您好,感谢您在网{tenureMonths}个月。', en: 'Hello {name}, thank you for {tenureMonths} months with us.' },
  pitch: { zh: `为您准备了${zhOffer}。`, en: `We have ${enOffer} for you.` },
  objections: [
    { kind: 'price', answer: { zh: '优惠后每月更省钱。', en: 'It costs less each month after the discount.' } },
    { kind: 'network', answer: { zh: '我们已安排网络优化。', en: 'We have scheduled a network fix.' } },
  ],
});

export const RETENTION_OFFER: Offer = {
  id: 'off-ret-1',
  version: 1,
  kind: 'retention',
  name: { zh: '续约送 20GB 流量', en: 'Renew and get 20 GB' },
  stages: ['D'],
  valueYuan: 1200,
  costYuan: 60,
  validFrom: '2025-01-01',
  validTo: null,
  script: script('续约送流量', 'a renewal bonus'),
};

export const CARE_OFFER: Offer = {
  ...RETENTION_OFFER,
  id: 'off-care-1',
  kind: 'care',
  name: { zh: '网络问题致歉礼包', en: 'Network apology credit' },
  valueYuan: 400,
  costYuan: 20,
  script: script('致歉礼包', 'an apology credit'),
};

export const DOWNGRADE_OFFER: Offer = {
  ...RETENTION_OFFER,
  id: 'off-ret-2',
  name: { zh: '降档保号 59 元', en: 'Keep your number for 59' },
  valueYuan: 300,
  costYuan: 10,
  script: script('降档方案', 'a cheaper plan'),
};

export const ACQUISITION_OFFER: Offer = {
  ...RETENTION_OFFER,
  id: 'off-acq-1',
  kind: 'acquisition',
  name: { zh: '新入网首月免费', en: 'First month free' },
  stages: ['prospect'],
  valueYuan: 800,
  costYuan: 50,
  script: script('新入网优惠', 'a joining offer'),
};

/** The synced score of DECLINING_CUSTOMER, made by the real analytics from a model's estimate. */
export const DECLINING_SCORE: CustomerScore = {
  customerId: DECLINING_CUSTOMER.id,
  version: 3,
  scoredAt: '2025-06-15T02:00:00Z',
  ...assessCustomerWithModel(
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
  ),
};

export function knownCard(overrides: Partial<Pick<CustomerCard, 'recentOutcomes'>> = {}): CustomerCard {
  return {
    ...buildCustomerCard({
      phone: DECLINING_CUSTOMER.phone,
      customer: DECLINING_CUSTOMER,
      score: DECLINING_SCORE,
      offers: [RETENTION_OFFER, CARE_OFFER, DOWNGRADE_OFFER, ACQUISITION_OFFER],
      recentOutcomes: [],
      now: NOW,
    }),
    ...overrides,
  };
}

export function prospectCard(phone = '13900001111'): CustomerCard {
  return buildCustomerCard({
    phone,
    customer: null,
    score: null,
    offers: [RETENTION_OFFER, ACQUISITION_OFFER],
    recentOutcomes: [],
    now: NOW,
  });
}

export function callEvent(event: 'offered' | 'answered' | 'ended', callId = 'call-1', ani = '13800138000'): DeskEvent {
  return { type: 'call', event: { callId, ani, agentId: AGENT_SESSION.agentId, event }, at: NOW.toISOString() };
}
