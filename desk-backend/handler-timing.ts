// Times each desk handler and warns about slow ones (Signal's 40 ms rule). The warning names
// only the channel and the duration: no inputs, since they carry phone numbers and names.
import type { DeskChannel } from '../../shared/contract/desk-api';

export const SLOW_HANDLER_MS = 40;
/** Channels that wait on the central API; a round trip over 40 ms is normal there. */
const NETWORK_BOUND: ReadonlySet<DeskChannel> = new Set(['session/login', 'sync/now', 'outbound/queue', 'reports/retention', 'reports/outcomes']);
export const SLOW_NETWORK_HANDLER_MS = 2000;

export async function timed<T>(channel: DeskChannel, warn: (message: string) => void, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    const elapsed = performance.now() - started;
    const limit = NETWORK_BOUND.has(channel) ? SLOW_NETWORK_HANDLER_MS : SLOW_HANDLER_MS;
    if (elapsed > limit) warn(`slow desk handler ${channel}: ${elapsed.toFixed(1)} ms`);
  }
}
