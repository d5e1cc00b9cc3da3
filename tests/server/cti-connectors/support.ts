// Reading the connectors' counters off GET /metrics, as a monitoring system would.
import type { CentralApi } from '../../../server/app';

export async function connectorCount(api: CentralApi, connector: string, outcome: string): Promise<number> {
  const text = (await api.app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = text.split('\n').find((l) => l.startsWith(`clm_cti_connector_events_total{connector="${connector}",outcome="${outcome}"}`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

/** The call events of the desk pushes received, without the push time. */
export const pushedEvents = (messages: readonly string[]) => messages.map((message) => (JSON.parse(message) as { event: unknown }).event);
