// Browser mode: the loopback web host carries the contract as
//   POST /api/invoke/<operation>  body: JSON input  ->  JSON DeskResult (200 when ok, 4xx/5xx when not)
//   WebSocket /api/events       one JSON DeskEvent per message
import type { DeskEvent } from '../../shared/contract/desk-api';
import { DeskClientError, type DeskClient } from './desk-client';
import { parseDeskEvent, unwrapDeskResult } from './desk-result';
import { openReconnectingSocket, type SocketLike } from './reconnecting-socket';

export interface HttpDeskClientOptions {
  /** Origin-relative by default, so the page talks to the host that served it. */
  baseUrl?: string;
  /** ws: or wss: URL of the event stream. */
  eventsUrl: string;
  fetch?: typeof fetch;
  openSocket?: (url: string) => SocketLike;
  reconnect?: { initialDelayMs: number; maxDelayMs: number };
}

/** The event stream URL for the page's own origin (wss: when the page is https:). */
export function eventsUrlFor(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/events`;
}

export function createHttpDeskClient(options: HttpDeskClientOptions): DeskClient {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const openSocket = options.openSocket ?? ((url: string) => new WebSocket(url));
  const listeners = new Set<(event: DeskEvent) => void>();
  let closeSocket: (() => void) | null = null;

  const dispatch = (data: unknown) => {
    if (typeof data !== 'string') return;
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      return;
    }
    const event = parseDeskEvent(raw);
    if (event === null) return;
    for (const listener of [...listeners]) listener(event);
  };

  return {
    async call(operation, input) {
      let body: unknown;
      try {
        const response = await doFetch(`${baseUrl}/api/invoke/${operation}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input),
        });
        // The body is a DeskResult whatever the status, so it is read either way.
        body = await response.json();
      } catch (error) {
        throw new DeskClientError('offline', error instanceof Error ? error.message : String(error));
      }
      return unwrapDeskResult(operation, body);
    },
    onEvent(listener) {
      listeners.add(listener);
      // One socket shared by all listeners, opened on the first and closed after the last.
      closeSocket ??= openReconnectingSocket({
        url: options.eventsUrl,
        open: openSocket,
        onMessage: dispatch,
        ...options.reconnect,
      });
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && closeSocket !== null) {
          closeSocket();
          closeSocket = null;
        }
      };
    },
  };
}
