// Times each desk handler and warns about slow ones (Signal's 40 ms rule). The warning names
// only the operation and the duration: no inputs, since they carry phone numbers and names.
import type { DeskOperation } from '../shared/contract/desk-api';

export const SLOW_HANDLER_MS = 40;
/** Operations that wait on the central API; a round trip over 40 ms is normal there. */
const NETWORK_BOUND: ReadonlySet<DeskOperation> = new Set([
  'session/login',
  'sync/now',
  'outbound/queue',
  'reports/retention',
  'reports/outcomes',
  'reports/models',
]);
export const SLOW_NETWORK_HANDLER_MS = 2000;

/** `observe` receives every duration (the desk's health report keeps the screen pops'). */
export async function timed<T>(
  operation: DeskOperation,
  warn: (message: string) => void,
  run: () => Promise<T>,
  observe?: (operation: DeskOperation, elapsedMs: number) => void,
): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    const elapsed = performance.now() - started;
    observe?.(operation, elapsed);
    const limit = NETWORK_BOUND.has(operation) ? SLOW_NETWORK_HANDLER_MS : SLOW_HANDLER_MS;
    if (elapsed > limit) warn(`slow desk handler ${operation}: ${elapsed.toFixed(1)} ms`);
  }
}
