// The desk's WebSocket to the central API's /cti/stream: live call events for the logged-in agent
// and "changes available" hints (shared/contract/desk-push.ts). It reconnects with capped backoff
// until close(), and a reconnect names the newest call id it knows (?after=) so the server sends the
// calls pushed while it was away (through a load balancer the new connection may reach another
// instance; the call log is shared). Messages are parsed with the contract schema.
import WebSocket from 'ws';
import type { CtiPush } from '../../shared/contract/central-api';
import { DESK_PUSH_PROTOCOL, DESK_REVOKED_CLOSE_CODE, DeskPush } from '../../shared/contract/desk-push';
import { backoffDelayMs, type BackoffPolicy } from '../../db/outbox/backoff';
import { parseJsonOrUndefined } from './parse-json';

export interface CtiStreamOptions {
  apiUrl: string;
  token: string;
  onPush(push: CtiPush): void;
  /** Synced rows were committed up to `seq` (also said once per connection, by its welcome). */
  onChangesAvailable?(seq: number): void;
  /** The stream can carry hints (the server welcomed it) or has dropped: the sync engine polls meanwhile. */
  onHintsLink?(up: boolean): void;
  /** Told about unparseable messages; carries no message content (it may hold caller numbers). */
  onProblem?(message: string): void;
  backoff?: BackoffPolicy;
}

export interface CtiStream {
  close(): void;
}

export const CTI_RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000 };
/** Call ids remembered to drop a call the server sends twice (live and again as missed). */
const SEEN_CALLS_KEPT = 200;

export function ctiStreamUrl(apiUrl: string, resumeAfter?: number): string {
  const url = new URL('/cti/stream', apiUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (resumeAfter !== undefined) url.searchParams.set('after', String(resumeAfter));
  return url.toString();
}

export function openCtiStream(options: CtiStreamOptions): CtiStream {
  const policy = options.backoff ?? CTI_RECONNECT_BACKOFF;
  let socket: WebSocket | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let failures = 0;
  let closed = false;
  let hintsUp = false;
  /** The newest call id known: from the welcome, then from each call. Undefined until a server that resumes said it. */
  let resumeAfter: number | undefined;
  const seenCalls: number[] = [];

  const setHintsLink = (up: boolean) => {
    if (up === hintsUp) return;
    hintsUp = up;
    options.onHintsLink?.(up);
  };

  function receive(text: string): void {
    const parsed = DeskPush.safeParse(parseJsonOrUndefined(text));
    if (!parsed.success) return options.onProblem?.('ignored a CTI message that does not match the contract');
    const message = parsed.data;
    if (message.type === 'welcome') {
      resumeAfter = Math.max(resumeAfter ?? 0, message.callSeq);
      setHintsLink(true);
      return options.onChangesAvailable?.(message.changeSeq);
    }
    if (message.type === 'changes') return options.onChangesAvailable?.(message.seq);
    const { seq, ...push } = message;
    if (seq !== undefined) {
      if (seenCalls.includes(seq)) return;
      seenCalls.push(seq);
      if (seenCalls.length > SEEN_CALLS_KEPT) seenCalls.shift();
      resumeAfter = Math.max(resumeAfter ?? 0, seq);
    }
    options.onPush(push);
  }

  function connect(): void {
    // The token travels as a subprotocol so it stays out of URLs (and therefore out of access logs).
    const ws = new WebSocket(ctiStreamUrl(options.apiUrl, resumeAfter), [DESK_PUSH_PROTOCOL, `bearer.${options.token}`]);
    socket = ws;
    ws.on('open', () => {
      failures = 0;
    });
    // A closing socket may still deliver what was buffered; after close() nobody is listening.
    ws.on('message', (data) => {
      if (!closed) receive(data.toString());
    });
    // 'error' always precedes 'close' for failed connections; handling it keeps ws from throwing.
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      if (socket === ws) socket = null;
      setHintsLink(false);
      if (closed) return;
      // Reconnecting is refused from now on; the sync engine's next request hears desk_revoked and ends the session.
      if (code === DESK_REVOKED_CLOSE_CODE) {
        options.onProblem?.('the central API closed the call stream: this desk was revoked');
        return;
      }
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
