// A valid outcome upload item, for the tests and the load benchmarks (no test runner needed to import it).
import { v7 as uuidv7 } from 'uuid';
import type { Outcome, OutcomeDraft } from '../../shared/contract/outcomes';

/** A valid outcome by `agentId` (who must be the uploader); a declined or not_presented draft gets a reason unless given one. */
export function outcomeItem(deviceId: string, clientSeq: number, draft: Partial<OutcomeDraft> = {}, agentId = 'agent01'): Outcome {
  const result = draft.result ?? 'accepted';
  return {
    outcomeId: uuidv7(),
    deviceId,
    clientSeq,
    agentId,
    recordedAt: new Date().toISOString(),
    draft: {
      callId: `call-${clientSeq}`,
      customerId: 'CUS0000001',
      phone: null,
      offerId: 'OFF-D-RETENTION-DISCOUNT',
      result,
      note: '',
      channel: 'hotline',
      callbackAt: null,
      declineReason: result === 'declined' ? 'price' : null,
      notPresentedReason: result === 'not_presented' ? 'customer_busy' : null,
      context: null,
      ...draft,
    },
  };
}
