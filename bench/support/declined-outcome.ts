// The outcome the load benchmarks upload: the n-th demo customer declined an offer on a hotline call.
import { v7 as uuidv7 } from 'uuid';
import type { Outcome } from '../../shared/contract/outcomes';
import { demoCustomerId } from '../../server/seed/demo-customers';
import { DEMO_OFFERS } from '../../server/seed/demo-offers';

export interface DeclinedOutcome {
  /** Picks the offer and names the call. */
  n: number;
  /** The demo customer's index in the book. */
  customer: number;
  deviceId: string;
  clientSeq: number;
  agentId: string;
  phone: string | null;
  callId: string;
}

export function declinedOutcome({ n, customer, deviceId, clientSeq, agentId, phone, callId }: DeclinedOutcome): Outcome {
  return {
    outcomeId: uuidv7(),
    deviceId,
    clientSeq,
    agentId,
    recordedAt: new Date().toISOString(),
    draft: {
      callId,
      customerId: demoCustomerId(customer),
      phone,
      offerId: DEMO_OFFERS[n % DEMO_OFFERS.length]!.id,
      result: 'declined',
      note: '',
      channel: 'hotline',
      callbackAt: null,
      declineReason: 'price',
      notPresentedReason: null,
      context: null,
    },
  };
}
