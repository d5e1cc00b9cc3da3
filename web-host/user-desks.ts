// One desk backend per signed-in user, and which browser is signed in to which. A desk backend
// holds one session, one SQLite cache, one outbox and one device id, so two browsers can hold two
// different users only with two backends. The browser that logs in is bound to that user's desk
// and sees only its answers and events; a browser bound to no desk may only log in. The same user
// in two browsers shares one desk; the desk closes when its last browser logs out (its outbox sent
// first when the central API answers in time, kept in that user's cache otherwise), or when no
// browser has used it for a while (a closed tab holds no event socket and sends no request).
import type { DeskResult, SyncStatus } from '../shared/contract/desk-api';
import { Username } from '../shared/contract/users';

/** What the host needs of a desk backend (desk-backend/desk-backend.ts is one). */
export interface DeskBackendLike {
  invoke(operation: string, input: unknown): Promise<DeskResult<unknown>>;
  onEvent(listener: (event: unknown) => void): () => void;
  close(): Promise<void>;
  /** Settles once the whole cache file passed its check (rejects when it did not): desks opened ahead wait for it one at a time. */
  cacheChecked?: Promise<void>;
}

export interface OpenedDesk {
  backend: DeskBackendLike;
  /** Called after this desk closed without ever signing in (a failed login): drops what opening it created. */
  discard?(): void;
}

/** Opens the desk backend of a user (on that user's own cache); throws when the cache cannot be used. */
export type DeskOpener = (agentId: string) => OpenedDesk;

/** Calls `fire` once after `ms` milliseconds; the returned function cancels it. Tests pass one they move by hand. */
export type StartTimer = (ms: number, fire: () => void) => () => void;

export interface UserDesksOptions {
  opener: DeskOpener;
  /** How many users' desks may be open at once. */
  maxDesks: number;
  /** How long a logout waits for the last outcomes to upload before closing the desk (they stay in its cache). */
  logoutFlushMs?: number;
  /**
   * How long a desk stays open with none of its browsers holding an event socket or waiting for an
   * answer. Then it closes as at the last logout: its outbox sent first when it can be, open
   * interactions and their drafts kept in the user's cache for their next login.
   */
  idleMs?: number;
  startTimer?: StartTimer;
  warn?: (message: string) => void;
}

/** A browser's id from its cookie; every client without the cookie (a script) counts as one browser. */
export type BrowserKey = string;

export interface DeskAnswer {
  status: number;
  body: DeskResult<unknown>;
}

export interface UserDesks {
  /** Runs a desk operation for a browser: login and logout pick and release the user's desk, the rest go to the browser's desk. */
  invoke(browser: BrowserKey, operation: string, input: unknown): Promise<DeskAnswer>;
  /** Desk events, each addressed to one browser signed in to the desk that sent it. */
  onEvent(listener: (browser: BrowserKey, event: unknown) => void): () => void;
  /** A browser's event socket opened: its desk is in use until the returned function is called (the socket closed). */
  socketOpened(browser: BrowserKey): () => void;
  /**
   * Opens these users' desks before they log in, as the Electron shell opens its desk at start, so a
   * login finds its cache open and checked. One at a time: the next desk opens once the previous
   * one's cache check ended, so many users' large caches are not checked at once. Only into free
   * slots (maxDesks); a desk opened ahead gives its slot to a login that needs one, closes after the
   * idle time when nobody signs in to it, and closes at once when its cache fails its check (its
   * user's login then opens it again and is refused with the reason, as without opening ahead).
   */
  openAhead(agentIds: readonly string[]): Promise<void>;
  /** The users whose desks are open now. */
  openDesks(): string[];
  /** Closes every desk without logging out (the sessions stay valid on the server, as when a desk app quits). */
  close(): Promise<void>;
}

/** Past the configured number of open desks, a login that needs one more is refused. */
export class DeskLimitError extends Error {}

const DEFAULT_LOGOUT_FLUSH_MS = 5000;
export const DEFAULT_DESK_IDLE_MS = 30 * 60_000;
const startRealTimer: StartTimer = (ms, fire) => {
  const timer = setTimeout(fire, ms);
  // A desk waiting to time out does not keep the host process alive.
  timer.unref();
  return () => clearTimeout(timer);
};
const noCountdown = () => {};
const SESSION_ENDED = { type: 'session', session: null } as const;
// One answer for an impossible username and a wrong password, as the central API gives.
const LOGIN_FAILED: DeskAnswer = { status: 401, body: { ok: false, error: { code: 'unauthenticated', message: 'unknown username or wrong password' } } };
const NOT_SIGNED_IN: DeskAnswer = { status: 401, body: { ok: false, error: { code: 'unauthenticated', message: 'this browser is not logged in' } } };

const isSessionEnd = (event: unknown) =>
  typeof event === 'object' && event !== null && (event as { type?: unknown }).type === 'session' && (event as { session?: unknown }).session === null;

interface Desk {
  agentId: string;
  backend: DeskBackendLike;
  discard: OpenedDesk['discard'];
  /** Browsers signed in to this desk. */
  browsers: Set<BrowserKey>;
  /** Browsers whose login on this desk is under way, with the events they get if it succeeds. */
  joining: Map<BrowserKey, unknown[]>;
  /** Logins under way: the desk stays open for them. */
  loginsPending: number;
  /** Other operations under way: the desk is in use. */
  requestsInFlight: number;
  /** Stops the countdown to closing this desk for idleness (a no-op while the desk is in use). */
  stopIdleCountdown: () => void;
  signedInOnce: boolean;
  /** Opened by openAhead, not by a login: waits for its user's login, and its slot may go to another user's login. */
  openedAhead: boolean;
  unsubscribe: () => void;
}

export function createUserDesks(options: UserDesksOptions): UserDesks {
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const flushMs = options.logoutFlushMs ?? DEFAULT_LOGOUT_FLUSH_MS;
  const idleMs = options.idleMs ?? DEFAULT_DESK_IDLE_MS;
  const startTimer = options.startTimer ?? startRealTimer;
  const desks = new Map<string, Desk>();
  /** Desks whose closing is under way: a new login for that user waits for it (one backend per cache file). */
  const closing = new Map<string, Promise<void>>();
  const deskOfBrowser = new Map<BrowserKey, Desk>();
  const listeners = new Set<(browser: BrowserKey, event: unknown) => void>();
  /** How many event sockets each browser holds open (a tab holds one while it is open). */
  const openSockets = new Map<BrowserKey, number>();
  let hostClosed = false;

  const deliver = (browser: BrowserKey, event: unknown) => {
    for (const listener of listeners) listener(browser, event);
  };

  function deskEvent(desk: Desk, event: unknown): void {
    for (const browser of desk.browsers) deliver(browser, event);
    // A browser logging in gets what happened meanwhile only if its login succeeds (its password proved it is this user).
    for (const [browser, held] of desk.joining) if (!desk.browsers.has(browser)) held.push(event);
    // The session ended by itself (expired, revoked): its browsers are signed out and the desk closes.
    if (isSessionEnd(event) && desk.browsers.size > 0) {
      for (const browser of desk.browsers) deskOfBrowser.delete(browser);
      desk.browsers.clear();
      void release(desk);
    }
  }

  function openDesk(agentId: string, openedAhead: boolean): Desk {
    const { backend, discard } = options.opener(agentId);
    const desk: Desk = {
      agentId,
      backend,
      discard,
      browsers: new Set(),
      joining: new Map(),
      loginsPending: 0,
      requestsInFlight: 0,
      stopIdleCountdown: noCountdown,
      signedInOnce: false,
      openedAhead,
      unsubscribe: () => {},
    };
    desk.unsubscribe = backend.onEvent((event) => deskEvent(desk, event));
    desks.set(agentId, desk);
    return desk;
  }

  /** A desk opened ahead that nobody has signed in to or is logging in to: its slot may go to another user. */
  const spareDesk = () => [...desks.values()].find((desk) => awaitsLogin(desk) && desk.loginsPending === 0);

  /** The user's desk, opened when it is not, held open for one login (counted in loginsPending). */
  async function holdDeskForLogin(agentId: string): Promise<Desk> {
    for (;;) {
      await closing.get(agentId);
      const desk = desks.get(agentId) ?? (desks.size < options.maxDesks ? openDesk(agentId, false) : undefined);
      if (desk !== undefined) {
        desk.loginsPending += 1;
        return desk;
      }
      const spare = spareDesk();
      if (spare === undefined)
        throw new DeskLimitError(
          `this desk host already serves ${options.maxDesks} signed-in users, the most it is set to (--max-desks); one of them must log out first`,
        );
      await release(spare);
    }
  }

  async function openAhead(agentIds: readonly string[]): Promise<void> {
    for (const agentId of agentIds) {
      if (hostClosed || desks.size >= options.maxDesks) return;
      if (desks.has(agentId) || closing.has(agentId)) continue;
      let desk: Desk;
      try {
        desk = openDesk(agentId, true);
      } catch (error) {
        warn(`the desk of ${agentId} was not opened ahead; its user's login will say why: ${String(error)}`);
        continue;
      }
      restartIdleCountdown(desk);
      try {
        await desk.backend.cacheChecked;
      } catch (error) {
        // Closed meanwhile (the host stopping, or its slot given to a login): the check was stopped, it found nothing.
        if (desks.get(agentId) !== desk) continue;
        warn(`the desk of ${agentId} was closed again: its cache failed its check; its user's login will say why: ${String(error)}`);
        // A login under way on it is refused by the same check, and then closes the desk.
        desk.openedAhead = false;
        await release(desk);
      }
    }
  }

  const inUse = (desk: Desk) => desk.requestsInFlight > 0 || [...desk.browsers].some((browser) => openSockets.has(browser));
  const awaitsLogin = (desk: Desk) => desk.openedAhead && !desk.signedInOnce;

  /**
   * Starts the desk's idle countdown afresh; none runs while the desk is in use, nor on a desk a login
   * opened before a browser signed in to it (a desk opened ahead counts down from its opening).
   */
  function restartIdleCountdown(desk: Desk): void {
    desk.stopIdleCountdown();
    const idle = !inUse(desk) && (desk.browsers.size > 0 || awaitsLogin(desk));
    desk.stopIdleCountdown = idle ? startTimer(idleMs, () => void closeIdleDesk(desk)) : noCountdown;
  }

  /** Nobody used the desk for the idle time: its browsers are signed out and it closes as at the last logout. */
  async function closeIdleDesk(desk: Desk): Promise<void> {
    if (inUse(desk) || desks.get(desk.agentId) !== desk) return;
    for (const browser of desk.browsers) deskOfBrowser.delete(browser);
    desk.browsers.clear();
    await release(desk);
  }

  /** Closes a desk nobody is signed in to or logging in to: logged out, after a bounded try to upload its outbox. */
  async function release(desk: Desk): Promise<void> {
    if (desk.browsers.size > 0 || desk.loginsPending > 0 || desks.get(desk.agentId) !== desk) return;
    desks.delete(desk.agentId);
    desk.stopIdleCountdown();
    const done = closeDesk(desk).catch((error: unknown) => {
      warn(`the desk of ${desk.agentId} did not close cleanly: ${error instanceof Error ? error.message : String(error)}`);
    });
    closing.set(desk.agentId, done);
    await done;
    closing.delete(desk.agentId);
  }

  async function closeDesk(desk: Desk): Promise<void> {
    if (desk.signedInOnce) {
      await flushOutbox(desk);
      await desk.backend.invoke('session/logout', {});
    }
    desk.unsubscribe();
    await desk.backend.close();
    if (!desk.signedInOnce) desk.discard?.();
  }

  async function flushOutbox(desk: Desk): Promise<void> {
    const status = await desk.backend.invoke('sync/status', {});
    if (!status.ok || (status.value as SyncStatus).outboxPending === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, flushMs);
      timer.unref();
    });
    // Past the wait the logout stops the upload; what was not sent stays in this user's cache for their next login.
    await Promise.race([desk.backend.invoke('sync/now', {}), waited]);
    clearTimeout(timer);
  }

  async function login(browser: BrowserKey, input: unknown): Promise<DeskAnswer> {
    // The user id is the username (server/users): it names the user's desk before the central API is asked.
    const username = Username.safeParse((input as { username?: unknown } | null)?.username);
    if (!username.success) return LOGIN_FAILED;
    let desk: Desk;
    try {
      desk = await holdDeskForLogin(username.data);
    } catch (error) {
      // Its own code, so the login screen can tell the agent what to do (a colleague logs out, or IT allows more desks).
      if (error instanceof DeskLimitError) return answer({ ok: false, error: { code: 'too_many_desks', message: error.message, deskLimit: options.maxDesks } });
      const message = `the local cache of ${username.data} cannot be opened: ${String(error)}`;
      warn(message);
      return answer({ ok: false, error: { code: 'cache_unavailable', message } });
    }
    desk.joining.set(browser, []);
    let result: DeskResult<unknown>;
    let held: unknown[];
    try {
      result = await desk.backend.invoke('session/login', input);
    } finally {
      held = desk.joining.get(browser) ?? [];
      desk.joining.delete(browser);
      desk.loginsPending -= 1;
    }
    if (result.ok) {
      desk.signedInOnce = true;
      const previous = deskOfBrowser.get(browser);
      deskOfBrowser.set(browser, desk);
      desk.browsers.add(browser);
      restartIdleCountdown(desk);
      for (const event of held) deliver(browser, event);
      // Logging in as someone else leaves the previous user's desk (closed if no other browser holds it).
      if (previous !== undefined && previous !== desk) {
        previous.browsers.delete(browser);
        restartIdleCountdown(previous);
        await release(previous);
      }
    } else if (awaitsLogin(desk)) {
      // A desk opened ahead stays open for its user's next try (a mistyped password must not cost the cache check again).
      restartIdleCountdown(desk);
    } else await release(desk);
    return answer(result);
  }

  async function logout(browser: BrowserKey): Promise<DeskAnswer> {
    const desk = deskOfBrowser.get(browser);
    // Logging out a browser that holds nothing ends nothing (it must not end another browser's session).
    if (desk !== undefined) {
      deskOfBrowser.delete(browser);
      desk.browsers.delete(browser);
      // Its other tabs learn it too; the user's other browsers keep the desk.
      deliver(browser, SESSION_ENDED);
      restartIdleCountdown(desk);
      await release(desk);
    }
    return { status: 200, body: { ok: true, value: { ok: true } } };
  }

  return {
    async invoke(browser, operation, input) {
      if (operation === 'session/login') return login(browser, input);
      if (operation === 'session/logout') return logout(browser);
      const desk = deskOfBrowser.get(browser);
      if (desk === undefined) return operation === 'session/current' ? { status: 200, body: { ok: true, value: null } } : NOT_SIGNED_IN;
      desk.requestsInFlight += 1;
      restartIdleCountdown(desk);
      try {
        return answer(await desk.backend.invoke(operation, input));
      } finally {
        desk.requestsInFlight -= 1;
        restartIdleCountdown(desk);
      }
    },
    socketOpened(browser) {
      openSockets.set(browser, (openSockets.get(browser) ?? 0) + 1);
      const held = deskOfBrowser.get(browser);
      if (held !== undefined) restartIdleCountdown(held);
      let open = true;
      return () => {
        if (!open) return;
        open = false;
        const left = (openSockets.get(browser) ?? 1) - 1;
        if (left === 0) openSockets.delete(browser);
        else openSockets.set(browser, left);
        const desk = deskOfBrowser.get(browser);
        if (desk !== undefined) restartIdleCountdown(desk);
      };
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    openAhead,
    openDesks: () => [...desks.keys()],
    async close() {
      hostClosed = true;
      const open = [...desks.values()];
      for (const desk of open) desk.stopIdleCountdown();
      desks.clear();
      deskOfBrowser.clear();
      await Promise.all([...closing.values()]);
      await Promise.all(
        open.map(async (desk) => {
          desk.unsubscribe();
          await desk.backend.close();
        }),
      );
    },
  };
}

const STATUS_BY_CODE: Record<Extract<DeskResult<unknown>, { ok: false }>['error']['code'], number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  offline: 503,
  offline_miss: 503,
  not_found_on_server: 404,
  cache_unavailable: 503,
  too_many_desks: 503,
  desk_revoked: 403,
  internal: 500,
};

function answer(result: DeskResult<unknown>): DeskAnswer {
  return { status: result.ok ? 200 : STATUS_BY_CODE[result.error.code], body: result };
}
