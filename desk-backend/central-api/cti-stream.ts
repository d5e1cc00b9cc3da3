// Live call events for the logged-in agent: a WebSocket to the central API's /cti/stream that
// reconnects with capped backoff until close(). Pushes are parsed with the contract schema.
import WebSocket from 'ws';
import { CtiPush } from '../../shared/contract/central-api';
import { backoffDelayMs, type BackoffPolicy } from '../../db/outbox/backoff';
import { parseJsonOrUndefined } from './parse-json';

export interface CtiStreamOptions {
  apiUrl: string;
  token: string;
  onPush(push: CtiPush): void;
  /** Told about unparseable messages; carries no message content (it may hold caller numbers). */
  onProblem?(message: string): void;
  backoff?: BackoffPolicy;
}

export interface CtiStream {
  close(): void;
}

export const CTI_RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000 };

export function ctiStreamUrl(apiUrl: string): string {
  const url = new URL('/cti/stream', apiUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export function openCtiStream(options: CtiStreamOptions): CtiStream {
  const policy = options.backoff ?? CTI_RECONNECT_BACKOFF;
  const url = ctiStreamUrl(options.apiUrl);
  let socket: WebSocket | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let failures = 0;
  let closed = false;

  function connect(): void {
    // The token travels as a subprotocol so it stays out of URLs (and therefore out of access logs).
    const ws = new WebSocket(url, [`bearer.${options.token}`]);
    socket = ws;
    ws.on('open', () => {
      failures = 0;
    });
    ws.on('message', (data) => {
      const push = CtiPush.safeParse(parseJsonOrUndefined(data.toString()));
      if (push.success) options.onPush(push.data);
      else options.onProblem?.('ignored a CTI message that does not match the contract');
    });
    // 'error' always precedes 'close' for failed connections; handling it keeps ws from throwing.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (socket === ws) socket = null;
      if (closed) return;
      failures += 1;
      retryTimer = setTimeout(connect, backoffDelayMs(failures, policy));
      retryTimer.unref();
    });
  }

  connect();
  return {
    close() {
      closed = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      socket?.close();
      socket = null;
    },
  };
}
