// What the load benchmarks upload: the n-th demo customer declined an offer on a hotline call.
import type { OutcomeDraft } from '../../shared/contract/outcomes';
import { demoCustomerId } from '../../server/seed/demo-customers';
import { DEMO_OFFERS } from '../../server/seed/demo-offers';

export const declinedDraft = (n: number, customer: number, phone: string | null, callId: string): Partial<OutcomeDraft> => ({
  result: 'declined',
  customerId: demoCustomerId(customer),
  phone,
  offerId: DEMO_OFFERS[n % DEMO_OFFERS.length]!.id,
  callId,
});
