// What the connectors did with the platforms' events, per connector, scraped at GET /metrics with
// the instance's other figures. Labels are connector names and outcomes only: never a number or id.
import { Counter, Histogram, type Registry } from 'prom-client';
import type { DeliveryOutcome } from './call-event-hub';

export interface ConnectorMetrics {
  counted(connector: string, outcome: DeliveryOutcome): void;
  /** Seconds from the connector handing over an event to its push being committed (NOTIFY). */
  published(connector: string, seconds: number): void;
}

export function createConnectorMetrics(registry: Registry): ConnectorMetrics {
  const events = new Counter({
    name: 'clm_cti_connector_events_total',
    help: 'Platform events by connector and outcome (published, duplicate, out_of_order, no_agent, ignored, unknown_agent, malformed, unauthorized)',
    labelNames: ['connector', 'outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'clm_cti_connector_publish_seconds',
    help: 'Time from a platform event reaching its connector to the desk push being committed',
    labelNames: ['connector'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  return {
    counted: (connector, outcome) => events.inc({ connector, outcome }),
    published: (connector, seconds) => latency.observe({ connector }, seconds),
  };
}
