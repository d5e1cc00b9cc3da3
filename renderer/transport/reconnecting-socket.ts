// A WebSocket that comes back by itself: the browser-mode host may restart, the desk must not.
// Delays double from `initialDelayMs` up to `maxDelayMs` and reset once a connection opens.

export interface SocketLike {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(): void;
}

export interface ReconnectingSocketOptions {
  url: string;
  open: (url: string) => SocketLike;
  onMessage: (data: unknown) => void;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export function nextBackoffDelay(attempt: number, initialDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, initialDelayMs * 2 ** attempt);
}

/** Starts connecting at once; the returned function stops it for good. */
export function openReconnectingSocket(options: ReconnectingSocketOptions): () => void {
  const initialDelayMs = options.initialDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 15_000;
  let attempt = 0;
  let socket: SocketLike | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const scheduleReconnect = () => {
    if (stopped || retryTimer !== null) return;
    const delay = nextBackoffDelay(attempt, initialDelayMs, maxDelayMs);
    attempt += 1;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay);
  };

  const connect = () => {
    if (stopped) return;
    try {
      socket = options.open(options.url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket.onopen = () => {
      attempt = 0;
    };
    socket.onmessage = (event) => options.onMessage(event.data);
    socket.onclose = () => {
      socket = null;
      scheduleReconnect();
    };
    // An error is always followed by close, which does the reconnecting.
    socket.onerror = () => undefined;
  };

  connect();
  return () => {
    stopped = true;
    if (retryTimer !== null) clearTimeout(retryTimer);
    if (socket !== null) {
      socket.onclose = null;
      socket.close();
      socket = null;
    }
  };
}
