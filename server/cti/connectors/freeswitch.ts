// The FreeSWITCH connector: the API connects to FreeSWITCH's Event Socket (mod_event_socket, inbound
// mode: we dial in and authenticate with its password) and follows the agents' legs. When FreeSWITCH
// bridges a caller to an agent it creates an outbound channel toward the agent's phone; that channel's
// CHANNEL_CREATE rings the desk, its CHANNEL_ANSWER and CHANNEL_HANGUP_COMPLETE answer and end the call.
// The call id is the channel's Unique-ID, the caller is its Caller-Caller-ID-Number (FreeSWITCH copies
// the caller's number onto the agent's leg), and the agent is the value of a configurable header,
// mapped through the external id `freeswitch:<value>`.
import { FreeSwitchClient, type FreeSwitchEventData } from 'esl-lite';
import type { CtiConnectorSettings } from '../../config';
import { externalIdOf } from './agent-directory';
import type { PlatformCallEvent } from './call-event-hub';
import type { ClientConnector, ConnectorContext } from './connector';

export const FREESWITCH_CONNECTOR = 'freeswitch';

export type FreeswitchConnectorSettings = NonNullable<CtiConnectorSettings['freeswitch']>;

export interface ReconnectPolicy {
  baseMs: number;
  capMs: number;
}

/** After a lost or refused connection: 0.5 s, doubling up to 30 s while it keeps failing. */
export const FREESWITCH_RECONNECT: ReconnectPolicy = { baseMs: 500, capMs: 30_000 };

const STAGE_OF = { CHANNEL_CREATE: 'offered', CHANNEL_ANSWER: 'answered', CHANNEL_HANGUP_COMPLETE: 'ended' } as const;
type ChannelEventName = keyof typeof STAGE_OF;
/** The events the connector subscribes to. */
export const FREESWITCH_CHANNEL_EVENTS = Object.keys(STAGE_OF) as ChannelEventName[];

type EventFields = FreeSwitchEventData['body']['data'];
type ReadEvent = { event: PlatformCallEvent } | { ignored: true } | { malformed: string };

const text = (fields: EventFields, header: string): string | null => {
  const value = fields[header];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
};

/** One channel event as a call event of an agent's leg; any other channel (the caller's own, inbound leg) is not a desk's. */
export function readChannelEvent(name: ChannelEventName, fields: EventFields, agentHeader: string): ReadEvent {
  if (text(fields, 'Call-Direction') !== 'outbound') return { ignored: true };
  const uniqueId = text(fields, 'Unique-ID');
  if (uniqueId === null) return { malformed: 'Unique-ID: missing' };
  const agent = text(fields, agentHeader);
  return {
    event: {
      callId: uniqueId,
      stage: STAGE_OF[name],
      agent: agent === null ? null : { externalId: externalIdOf(FREESWITCH_CONNECTOR, agent) },
      caller: text(fields, 'Caller-Caller-ID-Number'),
    },
  };
}

type EslLogger = ConstructorParameters<typeof FreeSwitchClient>[0]['logger'];
type SocketNews = 'authenticated' | 'password_refused' | 'closed' | 'unreachable';

/**
 * esl-lite 3.2 tells about its connection only through its logger, and reconnects by itself at once
 * when FreeSWITCH closes the socket, which after a refused password would be a tight loop. This logger
 * turns those lines into news, so the connector can take over reconnecting with a backoff of its own.
 */
function connectionWatcher(onNews: (news: SocketNews) => void): EslLogger {
  const read = (message: unknown, fields: unknown) => {
    if (message === 'Socket completed (remote end sent a FIN packet)') onNews('closed');
    else if (message === 'Socket failed') onNews('unreachable');
    else if (message === 'Authenticated') {
      const reply = (fields as { res?: { headers?: { replyText?: string } } }).res?.headers?.replyText ?? '';
      onNews(reply.startsWith('+OK') ? 'authenticated' : 'password_refused');
    }
  };
  const logger = {
    level: 'debug',
    child: () => logger,
    fatal: () => undefined,
    error: (fields: unknown, message: unknown) => read(message, fields),
    warn: () => undefined,
    info: (fields: unknown, message: unknown) => read(message, fields),
    debug: (fields: unknown, message: unknown) => read(message, fields),
    trace: () => undefined,
    silent: () => undefined,
  };
  return logger as unknown as EslLogger;
}

export function startFreeswitchConnector(
  settings: FreeswitchConnectorSettings,
  context: ConnectorContext,
  reconnect: ReconnectPolicy = FREESWITCH_RECONNECT,
): ClientConnector {
  const { sink, log } = context;
  const address = `${settings.host}:${settings.port}`;
  let client: FreeSwitchClient | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let failures = 0;
  let stopped = false;
  // Events are handed over one at a time, in the order FreeSWITCH sent them, so a quick answer
  // never overtakes its call's offer on the way through the agent lookup.
  let deliveries: Promise<unknown> = Promise.resolve();

  const handle = (name: ChannelEventName, fields: EventFields) => {
    const read = readChannelEvent(name, fields, settings.agentHeader);
    if ('ignored' in read) return sink.ignored();
    if ('malformed' in read) return sink.malformed(read.malformed);
    deliveries = deliveries.then(() =>
      sink.deliver(read.event).catch((error: unknown) => log.error({ err: error, event: name }, 'a FreeSWITCH call event could not be published')),
    );
  };

  const retryLater = () => {
    client?.end();
    client = null;
    if (stopped) return;
    failures += 1;
    const delay = Math.min(reconnect.capMs, reconnect.baseMs * 2 ** (failures - 1));
    retryTimer = setTimeout(connect, delay);
  };

  const onNews = (from: FreeSwitchClient, news: SocketNews) => {
    if (from !== client) return;
    if (news === 'authenticated') {
      if (failures > 0) log.info({ address }, 'FreeSWITCH event socket connected again');
      else log.info({ address }, 'FreeSWITCH event socket connected');
      failures = 0;
    } else if (news === 'password_refused') {
      log.error({ address }, 'FreeSWITCH refused the event socket password: check CLM_FREESWITCH_PASSWORD');
    } else if (news === 'closed' || news === 'unreachable') {
      if (failures === 0) log.warn({ address }, 'FreeSWITCH event socket lost: reconnecting with backoff, calls in the meantime do not ring');
      retryLater();
    }
  };

  function connect(): void {
    retryTimer = null;
    const current: FreeSwitchClient = new FreeSwitchClient({
      host: settings.host,
      port: settings.port,
      password: settings.password,
      logger: connectionWatcher((news) => onNews(current, news)),
    });
    client = current;
    // Each `on` subscribes (event json) now and again after every authentication.
    for (const name of FREESWITCH_CHANNEL_EVENTS) current.on(name, (data) => handle(name, data.body.data));
  }

  connect();
  return {
    async stop() {
      stopped = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      client?.end();
      client = null;
      await deliveries;
    },
  };
}
