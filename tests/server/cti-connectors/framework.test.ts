// The connector framework on its own: caller numbers, the per-call state machine, and the hub's
// outcomes with a stand-in directory and publisher (no database, no HTTP).
import { describe, expect, it } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import { Registry } from 'prom-client';
import type { CtiCallEvent } from '../../../shared/contract/central-api';
import type { AgentDirectory, AgentRef } from '../../../server/cti/connectors/agent-directory';
import { createCallEventHub } from '../../../server/cti/connectors/call-event-hub';
import { createCallTracker } from '../../../server/cti/connectors/call-tracker';
import { normalizeCallerNumber } from '../../../server/cti/connectors/caller-number';
import { createConnectorMetrics } from '../../../server/cti/connectors/connector-metrics';
import { readGenesysMessage } from '../../../server/cti/connectors/genesys-events';
import { resolveCtiConnectorSettings } from '../../../server/config';

describe('caller numbers', () => {
  it.each([
    ['tel:+8613800138000', { e164: '+8613800138000', mainland: '13800138000' }],
    ['sip:+8613800138000@10.0.0.1;user=phone', { e164: '+8613800138000', mainland: '13800138000' }],
    ['008613800138000', { e164: '+8613800138000', mainland: '13800138000' }],
    ['13800138000', { e164: '+8613800138000', mainland: '13800138000' }],
    ['010-1234 5678', { e164: '+861012345678', mainland: '01012345678' }],
    ['tel:+861012345678', { e164: '+861012345678', mainland: '01012345678' }],
    ['+14155550100', { e164: '+14155550100', mainland: null }],
  ])('reads %s', (raw, expected) => {
    expect(normalizeCallerNumber(raw)).toEqual(expected);
  });

  it.each([null, '', 'anonymous', 'sip:anonymous@invalid', '1001', '+86'])('takes %s as withheld', (raw) => {
    expect(normalizeCallerNumber(raw)).toBeNull();
  });
});

describe('the per-call state machine', () => {
  it('passes each stage once and only forwards', () => {
    const tracker = createCallTracker();
    expect(tracker.advance('c1', 'offered').verdict).toBe('forward');
    expect(tracker.advance('c1', 'offered').verdict).toBe('duplicate');
    expect(tracker.advance('c1', 'answered').verdict).toBe('forward');
    expect(tracker.advance('c1', 'offered').verdict).toBe('out_of_order');
    expect(tracker.advance('c1', 'ended').verdict).toBe('forward');
    expect(tracker.advance('c1', 'answered').verdict).toBe('out_of_order');
    expect(tracker.advance('c1', 'ended').verdict).toBe('duplicate');
    // A call first heard of at its end still ends on the desk (the server may have restarted mid-call).
    expect(tracker.advance('c2', 'ended').verdict).toBe('forward');
  });

  it('lets a retry through when the publish was reverted', () => {
    const tracker = createCallTracker();
    const first = tracker.advance('c1', 'offered');
    if (first.verdict !== 'forward') throw new Error('expected forward');
    first.revert();
    expect(tracker.advance('c1', 'offered').verdict).toBe('forward');
  });

  it('remembers at most maxCalls calls, the stalest forgotten first', () => {
    const tracker = createCallTracker({ maxCalls: 3 });
    for (const call of ['a', 'b', 'c', 'd']) tracker.advance(call, 'offered');
    expect(tracker.size()).toBe(3);
    expect(tracker.advance('a', 'offered').verdict).toBe('forward');
    expect(tracker.advance('d', 'offered').verdict).toBe('duplicate');
  });

  it('forgets an ended call after endedTtlMs and an open one after openTtlMs', () => {
    let now = 0;
    const tracker = createCallTracker({ endedTtlMs: 10, openTtlMs: 100, now: () => now });
    tracker.advance('ended', 'ended');
    tracker.advance('open', 'offered');
    now = 11;
    expect(tracker.advance('ended', 'ended').verdict).toBe('forward');
    expect(tracker.advance('open', 'offered').verdict).toBe('duplicate');
    now = 200;
    expect(tracker.advance('open', 'offered').verdict).toBe('forward');
  });
});

function silentLog(lines: unknown[]): FastifyBaseLogger {
  const log = {
    warn: (...args: unknown[]) => lines.push(args),
    child: () => log,
  };
  return log as unknown as FastifyBaseLogger;
}

const MAPPED: Record<string, string> = { 'genesys:g-1': 'agent01' };
const resolveAgent = (agent: AgentRef) => ('externalId' in agent ? (MAPPED[agent.externalId] ?? null) : agent.userId === 'agent02' ? 'agent02' : null);

function hubUnderTest(options: { failPublish?: boolean; slowFirstLookup?: boolean } = {}) {
  const published: CtiCallEvent[] = [];
  const logged: unknown[] = [];
  const registry = new Registry();
  let lookups = 0;
  const directory: AgentDirectory = {
    resolve: async (agent) => {
      // The first look-up answers after the second, as a busy connection pool may.
      if (options.slowFirstLookup && ++lookups === 1) await new Promise((resolve) => setTimeout(resolve, 20));
      return resolveAgent(agent);
    },
    platformIds: async () => [],
  };
  const hub = createCallEventHub({
    db: undefined as never,
    log: silentLog(logged),
    directory,
    tracker: createCallTracker(),
    metrics: createConnectorMetrics(registry),
    publish: async (event) => {
      if (options.failPublish) throw new Error('database down');
      published.push(event);
    },
  });
  const counts = async () => {
    const metric = await registry.getSingleMetric('clm_cti_connector_events_total')!.get();
    return Object.fromEntries(metric.values.map((v) => [`${v.labels.connector}/${v.labels.outcome}`, v.value]));
  };
  return { sink: hub.sink('genesys'), published, logged, counts };
}

describe('the call event hub', () => {
  it('publishes a mapped agent’s call with the number in E.164, once', async () => {
    const { sink, published, counts } = hubUnderTest();
    const event = { callId: 'conv-1', stage: 'offered' as const, agent: { externalId: 'genesys:g-1' }, caller: 'tel:+8613800138000' };
    expect(await sink.deliver(event)).toMatchObject({ outcome: 'published', caller: { mainland: '13800138000' } });
    expect(await sink.deliver(event)).toEqual({ outcome: 'duplicate' });
    expect(published).toEqual([{ callId: 'conv-1', ani: '+8613800138000', agentId: 'agent01', event: 'offered' }]);
    expect(await counts()).toEqual({ 'genesys/published': 1, 'genesys/duplicate': 1 });
  });

  it('refuses an unknown agent and a malformed event with a message, logged without the number', async () => {
    const { sink, published, logged, counts } = hubUnderTest();
    const unknown = await sink.deliver({ callId: 'conv-2', stage: 'offered', agent: { externalId: 'genesys:nobody' }, caller: 'tel:+8613900139000' });
    expect(unknown).toMatchObject({ outcome: 'unknown_agent', message: expect.stringContaining("'genesys:nobody'") });
    expect(await sink.deliver({ callId: 'x'.repeat(65), stage: 'offered', agent: { externalId: 'genesys:g-1' }, caller: null })).toMatchObject({
      outcome: 'malformed',
    });
    expect(published).toEqual([]);
    expect(JSON.stringify(logged)).not.toContain('13900139000');
    expect(logged).toHaveLength(2);
    expect(await counts()).toEqual({ 'genesys/unknown_agent': 1, 'genesys/malformed': 1 });
  });

  it('takes an event without an agent yet as no_agent, and withheld numbers as an empty ani', async () => {
    const { sink, published } = hubUnderTest();
    expect(await sink.deliver({ callId: 'conv-3', stage: 'offered', agent: null, caller: '13800138000' })).toEqual({ outcome: 'no_agent' });
    await sink.deliver({ callId: 'conv-3', stage: 'offered', agent: { userId: 'agent02' }, caller: 'anonymous' });
    expect(published).toEqual([{ callId: 'conv-3', ani: '', agentId: 'agent02', event: 'offered' }]);
  });

  it('handles a call’s events in the order they were handed over, however long each waits for the database', async () => {
    const { sink, published } = hubUnderTest({ slowFirstLookup: true });
    const event = { callId: 'conv-5', agent: { userId: 'agent02' }, caller: null };
    const outcomes = await Promise.all([sink.deliver({ ...event, stage: 'offered' }), sink.deliver({ ...event, stage: 'answered' })]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['published', 'published']);
    expect(published.map((e) => e.event)).toEqual(['offered', 'answered']);
  });

  it('lets the platform’s retry through when the publish failed', async () => {
    const failing = hubUnderTest({ failPublish: true });
    const event = { callId: 'conv-4', stage: 'offered' as const, agent: { userId: 'agent02' }, caller: null };
    await expect(failing.sink.deliver(event)).rejects.toThrow('database down');
    await expect(failing.sink.deliver(event)).rejects.toThrow('database down');
  });
});

describe('reading Genesys notification messages', () => {
  const calls = (state: string) =>
    JSON.stringify({
      topicName: 'v2.users.g-1.conversations.calls',
      eventBody: {
        id: 'conv-9',
        participants: [
          { purpose: 'customer', address: 'tel:+8613800138000' },
          { purpose: 'agent', state, user: { id: 'g-1' } },
        ],
      },
    });

  it('takes the subscribed agent’s leg for the stage and the customer’s address when there is no ani', () => {
    expect(readGenesysMessage(calls('alerting'))).toEqual({
      kind: 'call',
      event: { callId: 'conv-9', stage: 'offered', agent: { externalId: 'genesys:g-1' }, caller: 'tel:+8613800138000' },
    });
    expect(readGenesysMessage(calls('dialing'))).toEqual({ kind: 'ignored' });
  });

  it('tells the channel’s own messages and its maintenance warning from calls', () => {
    expect(readGenesysMessage(JSON.stringify({ topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } }))).toEqual({ kind: 'channel' });
    expect(readGenesysMessage(JSON.stringify({ topicName: 'v2.system.socket_closing', eventBody: { message: 'closing' } }))).toEqual({ kind: 'closing' });
    expect(readGenesysMessage('{')).toEqual({ kind: 'malformed', reason: 'message: not JSON' });
  });
});

describe('connector settings from the environment', () => {
  it('turns on what is configured, with the defaults', () => {
    const settings = resolveCtiConnectorSettings(undefined, {
      CLM_CTI_WEBHOOK_KEYS: 'new-key-0123456789abcdef, old-key-0123456789abcdef',
      CLM_CONNECT_KEYS: 'connect-key-0123456789',
      CLM_GENESYS_CLIENT_ID: 'client',
      CLM_GENESYS_CLIENT_SECRET: 'secret',
      CLM_GENESYS_REGION: 'mypurecloud.jp',
    });
    expect(settings.webhook).toEqual({ keys: ['new-key-0123456789abcdef', 'old-key-0123456789abcdef'], toleranceSeconds: 300 });
    expect(settings.amazonConnect).toEqual({ keys: ['connect-key-0123456789'], callerAttribute: 'clmCallerNumber', instanceArn: null });
    expect(settings.genesys).toMatchObject({ apiUrl: 'https://api.mypurecloud.jp', loginUrl: 'https://login.mypurecloud.jp', agentRefreshSeconds: 300 });
    expect(resolveCtiConnectorSettings(undefined, {})).toMatchObject({ webhook: { keys: [] }, amazonConnect: null, genesys: null });
  });

  it('refuses a setting that does not hold, naming the variable and never the secret', () => {
    const refusal = () => resolveCtiConnectorSettings(undefined, { CLM_CTI_WEBHOOK_KEYS: 'short', CLM_GENESYS_CLIENT_ID: 'client' });
    expect(refusal).toThrow(/CLM_CTI_WEBHOOK_KEYS: must be at least 16 characters.*CLM_GENESYS_CLIENT_SECRET/);
    expect(refusal).not.toThrow(/short/);
  });
});
