// Finding customers in the cache, and the outbound call queue (from the central API, ranked here).
import { fetchOrCached } from '../cached-fetch';
import { rankOutboundQueue } from '../outbound-queue';
import type { DeskContext, HandlersFor } from './desk-context';

export function searchAndOutboundOperations({ now, stores, sessions }: DeskContext): HandlersFor<'customer/search' | 'outbound/queue'> {
  return {
    'customer/search': async ({ query }) => {
      sessions.require();
      return stores.customerSearch.search(query);
    },
    'outbound/queue': async () => {
      const { session, runtime } = sessions.require();
      const { value, cachedAt } = await fetchOrCached(stores.outboundQueues, session.agentId, now, async () => {
        const response = await runtime.api.outboundQueue();
        const at = now();
        const items = rankOutboundQueue(response, (customerId) => stores.cardQuery.cardByCustomer(customerId, at, { channel: 'outbound', callId: null }), at);
        return { items, generatedAt: response.generatedAt, cachedAt: null };
      });
      return { ...value, cachedAt };
    },
  };
}
