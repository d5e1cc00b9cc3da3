// The Genesys Cloud connector: a WebSocket client of the organisation's notification channel.
// One session = an OAuth token (client credentials), a new channel, a subscription to
// v2.users.{id}.conversations.calls for every mapped agent (users with external id genesys:<id>),
// and the channel's WebSocket until it closes. Sessions follow one another until stop(): at once
// after a session that was up (closed for maintenance, dropped, token or channel near expiry),
// with growing pauses while the platform cannot be reached. Events lost between two sessions are
// not replayed by Genesys; the next message about the call carries its whole state again.
import WebSocket from 'ws';
import { z } from 'zod';
import type { CtiConnectorSettings } from '../../config';
import type { ClientConnector, ConnectorContext } from './connector';
import { GENESYS, genesysCallsTopic, readGenesysMessage } from './genesys-events';

type GenesysSettings = NonNullable<CtiConnectorSettings['genesys']>;

/** Pauses before a new session while the platform keeps failing. */
const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
/** Genesys sends a heartbeat every 30 s: a channel silent for longer than this is dead. */
const SILENCE_LIMIT_MS = 95_000;
/** A channel lives 24 h; a new session starts before the token or the channel runs out. */
const RENEW_BEFORE_EXPIRY_MS = 10 * 60 * 1000;
/** Genesys accepts at most 1,000 topics per channel. */
const MAX_TOPICS = 1000;

const TokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });
const ChannelResponse = z.object({ id: z.string().min(1), connectUri: z.string().min(1), expires: z.string().optional() });

/** A session shorter than this counts as a failure, so a channel that closes at once is not reopened in a tight loop. */
const SHORTEST_HEALTHY_SESSION_MS = 5_000;

async function platformJson<T>(url: string, init: RequestInit & { signal: AbortSignal }, schema: z.ZodType<T>, what: string): Promise<T> {
  const response = await fetch(url, { ...init, signal: AbortSignal.any([init.signal, AbortSignal.timeout(15_000)]) });
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status}`);
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) throw new Error(`${what}: unexpected answer`);
  return parsed.data;
}

export function startGenesysConnector(settings: GenesysSettings, { sink, directory, log }: ConnectorContext): ClientConnector {
  let stopped = false;
  const stopping = new AbortController();
  const { signal } = stopping;
  let current: WebSocket | null = null;
  let wake: (() => void) | null = null;
  const api = (path: string) => new URL(path, settings.apiUrl).toString();

  async function token(): Promise<z.infer<typeof TokenResponse>> {
    const basic = Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString('base64');
    return platformJson(
      new URL('/oauth/token', settings.loginUrl).toString(),
      {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
        signal,
      },
      TokenResponse,
      'Genesys OAuth token',
    );
  }

  async function subscribe(bearer: string, channelId: string, agentIds: readonly string[]): Promise<void> {
    if (agentIds.length > MAX_TOPICS)
      log.warn({ mapped: agentIds.length }, `Genesys allows ${MAX_TOPICS} topics per channel: the agents after that ring no desk`);
    const topics = agentIds.slice(0, MAX_TOPICS).map((id) => ({ id: genesysCallsTopic(id) }));
    await platformJson(
      api(`/api/v2/notifications/channels/${encodeURIComponent(channelId)}/subscriptions`),
      { method: 'PUT', headers: { authorization: bearer, 'content-type': 'application/json' }, body: JSON.stringify(topics), signal },
      z.unknown(),
      'Genesys subscriptions',
    );
  }

  function handle(text: string, socket: WebSocket): void {
    const reading = readGenesysMessage(text);
    if (reading.kind === 'closing') socket.close(1000, 'Genesys announced maintenance');
    else if (reading.kind === 'malformed') sink.malformed(reading.reason);
    else if (reading.kind === 'ignored') sink.ignored();
    else if (reading.kind === 'call') sink.deliver(reading.event).catch((error: Error) => log.error({ err: error }, 'Genesys call event not published'));
  }

  /** One session: resolves when its WebSocket has closed; rejects if it could not be opened. */
  async function session(): Promise<void> {
    const grant = await token();
    const bearer = `Bearer ${grant.access_token}`;
    const channel = await platformJson(
      api('/api/v2/notifications/channels'),
      { method: 'POST', headers: { authorization: bearer }, signal },
      ChannelResponse,
      'Genesys channel',
    );
    let agentIds = await directory.platformIds(GENESYS);
    await subscribe(bearer, channel.id, agentIds);
    if (stopped) return;

    const socket = new WebSocket(channel.connectUri);
    current = socket;
    const channelEnds = channel.expires === undefined ? Infinity : Date.parse(channel.expires);
    const renewIn = Math.max(1_000, Math.min(grant.expires_in * 1000, channelEnds - Date.now()) - RENEW_BEFORE_EXPIRY_MS);
    const renew = setTimeout(() => socket.close(1000, 'renewing the token and channel'), renewIn);
    let silence = setTimeout(() => socket.terminate(), SILENCE_LIMIT_MS);
    const refresh = setInterval(() => {
      directory
        .platformIds(GENESYS)
        .then(async (ids) => {
          if (ids.join('\n') === agentIds.join('\n')) return;
          await subscribe(bearer, channel.id, ids);
          agentIds = ids;
          log.info({ mapped: ids.length }, 'Genesys subscriptions follow the changed agent mapping');
        })
        .catch((error: Error) => log.warn({ err: error }, 'Genesys agent mapping not refreshed'));
    }, settings.agentRefreshSeconds * 1000);

    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => log.info({ mapped: agentIds.length }, 'Genesys notification channel open'));
      socket.on('message', (data) => {
        clearTimeout(silence);
        silence = setTimeout(() => socket.terminate(), SILENCE_LIMIT_MS);
        handle(String(data), socket);
      });
      socket.on('error', (error) => {
        if (socket.readyState !== WebSocket.OPEN) reject(error);
      });
      socket.on('close', () => resolve());
    }).finally(() => {
      clearTimeout(renew);
      clearTimeout(silence);
      clearInterval(refresh);
      current = null;
    });
  }

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const running = (async () => {
    let failures = 0;
    while (!stopped) {
      const started = Date.now();
      try {
        await session();
        if (Date.now() - started < SHORTEST_HEALTHY_SESSION_MS) throw new Error('the channel closed as soon as it opened');
        failures = 0;
      } catch (error) {
        const delay = RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)]!;
        failures += 1;
        log.warn({ err: error as Error, retryInMs: delay }, 'Genesys notification channel unavailable');
        if (!stopped) await pause(delay);
      }
    }
  })();

  return {
    async stop() {
      stopped = true;
      stopping.abort();
      wake?.();
      current?.close(1000, 'server stopping');
      await running;
    },
  };
}
