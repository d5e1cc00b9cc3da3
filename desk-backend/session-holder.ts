// The logged-in session of a desk backend, if any, and whether the backend is closed.
import type { Role } from '../shared/contract/central-api';
import type { Session } from '../shared/contract/desk-api';
import { DeskError } from './desk-failure';
import type { SessionRuntime } from './session-runtime';

export interface ActiveSession {
  session: Session;
  runtime: SessionRuntime;
}

export interface SessionHolder {
  current(): ActiveSession | null;
  /** The active session; throws `unauthenticated` without one. */
  require(): ActiveSession;
  /** The active session when its role is one of `roles`; throws `forbidden` (with `why`) otherwise. */
  requireRole(roles: readonly Role[], why: string): ActiveSession;
  /** Runs login/logout changes one after another, so two logins cannot both start a sync engine. */
  change<T>(change: () => Promise<T>): Promise<T>;
  /** Makes `next` the active session; the previous one must have been ended. */
  begin(next: ActiveSession): void;
  /** `logOut`: the agent ended the session (revoked on the server); otherwise the desk is only closing. */
  end(logOut: boolean): Promise<boolean>;
  readonly closed: boolean;
  /** Ends the session (without logging out) and refuses every later change. */
  close(): Promise<void>;
}

export function createSessionHolder(): SessionHolder {
  let active: ActiveSession | null = null;
  let closed = false;
  let changes: Promise<unknown> = Promise.resolve();

  const holder: SessionHolder = {
    current: () => active,
    require() {
      if (active === null) throw new DeskError('unauthenticated', 'log in first');
      return active;
    },
    requireRole(roles, why) {
      const current = holder.require();
      if (!roles.includes(current.session.role)) throw new DeskError('forbidden', why);
      return current;
    },
    change(change) {
      const next = changes.then(change, change);
      changes = next.catch(() => undefined);
      return next;
    },
    begin(next) {
      active = next;
    },
    async end(logOut) {
      const ending = active;
      active = null;
      if (ending === null) return false;
      await (logOut ? ending.runtime.logOut() : ending.runtime.stop());
      return true;
    },
    get closed() {
      return closed;
    },
    async close() {
      closed = true;
      await holder.change(() => holder.end(false));
    },
  };
  return holder;
}
