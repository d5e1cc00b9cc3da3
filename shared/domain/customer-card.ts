// Assembles the card the agent sees from cached rows. Pure: the cache query hands it the
// rows it read in one go, and the same function serves a ringing call and a counter search.
import type { Customer, CustomerScore, Offer } from '../contract/entities';
import type { CardOutcome, CustomerCard } from '../contract/desk-api';
import type { Assessment } from '../analytics/assess-customer';
import { customerSignals } from '../analytics/customer-signals';
import { DEFAULT_LIFECYCLE_CONFIG } from '../analytics/lifecycle/lifecycle-config';
import { decideLifecycleStage } from '../analytics/lifecycle/lifecycle-stage';
import { wholeMonthsBetween } from './dates';
import { maskIdNumber, maskPhone } from './masking';
import { rankOffers } from './placeholder-rules';
import { renderScript, type ScriptFacts } from './script-template';

export interface CardRows {
  phone: string;
  customer: Customer | null;
  /** The synced score; when absent the card is assessed locally from the customer row. */
  score: CustomerScore | null;
  offers: readonly Offer[];
  recentOutcomes: readonly CardOutcome[];
  now: Date;
}

export const CARD_OFFER_COUNT = 3;

const PROSPECT: Assessment = {
  modelVersion: 'prospect',
  stage: 'prospect',
  stageReasons: [{ code: 'not_a_subscriber', params: {} }],
  valueTier: 'bronze',
  clv: 0,
  arpu3m: 0,
  rfm: null,
  personalKeyCustomer: false,
  churnProbability: 0,
  warningLevel: 'none',
  topReasons: [],
};

export const UNSCORED_MODEL_VERSION = 'unscored';

/**
 * A customer whose score has not synced yet: the lifecycle rules still place them (without
 * the churn probability), while value and risk stay unknown rather than guessed.
 */
function assessUnscored(customer: Customer, now: Date): Assessment {
  const signals = customerSignals(customer, now);
  const stage = decideLifecycleStage(customer, signals, null, DEFAULT_LIFECYCLE_CONFIG);
  return {
    ...PROSPECT,
    modelVersion: `${UNSCORED_MODEL_VERSION} · ${stage.configVersion}`,
    stage: stage.stage,
    stageReasons: stage.reasons,
    arpu3m: signals.arpu3m,
  };
}

export function buildCustomerCard(rows: CardRows): CustomerCard {
  const { customer, now } = rows;
  const scored = customer !== null && rows.score !== null;
  const assessment: Assessment = customer === null ? PROSPECT : (rows.score ?? assessUnscored(customer, now));
  const tenureMonths = customer === null ? 0 : wholeMonthsBetween(customer.joinDate, now);

  const offers = rankOffers(rows.offers, assessment.stage, now)
    .slice(0, CARD_OFFER_COUNT)
    .map(({ offer, expectedValue, why }) => {
      const facts = (lang: 'zh' | 'en'): ScriptFacts => ({
        name: customer?.name,
        tenureMonths: customer === null ? null : tenureMonths,
        planName: customer?.planName[lang],
        monthlyFee: customer?.monthlyFee,
        offerName: offer.name[lang],
      });
      return {
        offerId: offer.id,
        kind: offer.kind,
        name: offer.name,
        expectedValue,
        why,
        script: { zh: renderScript(offer.script, facts('zh'), 'zh'), en: renderScript(offer.script, facts('en'), 'en') },
      };
    });

  return {
    kind: customer === null ? 'prospect' : 'known',
    phoneMasked: maskPhone(rows.phone),
    customer:
      customer === null
        ? null
        : {
            id: customer.id,
            name: customer.name,
            planName: customer.planName,
            monthlyFee: customer.monthlyFee,
            tenureMonths,
            status: customer.status,
            contractEnd: customer.contractEnd,
            idNumberMasked: maskIdNumber(customer.idNumber),
          },
    assessment: {
      modelVersion: assessment.modelVersion,
      stage: assessment.stage,
      stageReasons: assessment.stageReasons,
      valueTier: scored ? assessment.valueTier : null,
      clv: scored ? assessment.clv : null,
      arpu3m: customer === null ? null : assessment.arpu3m,
      rfm: assessment.rfm,
      personalKeyCustomer: assessment.personalKeyCustomer,
      churnProbability: scored ? assessment.churnProbability : null,
      warningLevel: assessment.warningLevel,
      topReasons: assessment.topReasons,
    },
    offers,
    recentOutcomes: [...rows.recentOutcomes],
  };
}
