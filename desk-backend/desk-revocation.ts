// What a desk does when an administrator revoked it (a lost laptop, shared/contract/desks.ts): it
// hears so when any request is refused `desk_revoked`, or when it asks at start, before anyone signs
// in. It then ends the session (its sync engine and CTI stream stop writing) and wipes its cache as
// the administrator decided (db/cache/desk-wipe.ts): the copy of the book always goes; the work not
// uploaded yet stays under `hold` until the desk is reinstated, then uploads at the next sign-in.
import type { UnsentDecision } from '../shared/contract/desks';
import type { DeskEvent } from '../shared/contract/desk-api';
import { wipeDeskCache } from '../db/cache/desk-wipe';
import type { CacheDb } from '../db/cache/open-cache';
import type { CentralApiClient } from './central-api/central-api-client';
import type { ActiveSession, SessionHolder } from './session-holder';

export interface DeskRevocationOptions {
  db: CacheDb;
  api: Pick<CentralApiClient, 'deskRevocation'>;
  deskId: () => string;
  sessions: SessionHolder;
  /** Settles when the background check of the cache file is done; a wipe waits for it (VACUUM needs the file to itself). */
  cacheChecked: Promise<void>;
  emit(event: DeskEvent): void;
  warn(message: string): void;
}

export interface DeskRevocation {
  /** The central API refused a request because this desk is revoked. */
  refused(): void;
  /** Asks the central API whether this desk was revoked; unreachable, it asks again at the next start or refusal. */
  checkAtStart(signal: AbortSignal): Promise<void>;
  /** Settles when every check and wipe begun so far is done. */
  settled(): Promise<void>;
}

export function createDeskRevocation(options: DeskRevocationOptions): DeskRevocation {
  const { db, api, deskId, sessions, emit, warn } = options;
  let work: Promise<void> = Promise.resolve();
  let busy = false;

  /**
   * Ends the session and wipes, unless a session began after the revocation was heard (`heardDuring`:
   * the session then, if any): the central API let that sign-in through, so the desk was reinstated
   * meanwhile and the answer in hand is stale.
   */
  async function wipe(unsent: UnsentDecision, heardDuring: ActiveSession | null): Promise<void> {
    if (sessions.closed) return;
    const stale = await sessions.change(async () => {
      const current = sessions.current();
      if (current !== null && current !== heardDuring) return true;
      if (await sessions.end(false)) emit({ type: 'session', session: null, ended: { reason: 'desk_revoked', unsent } });
      return false;
    });
    if (stale) return;
    await options.cacheChecked.catch(() => undefined);
    if (sessions.closed) return;
    const held = wipeDeskCache(db, unsent);
    const kept = Object.entries(held).filter(([, count]) => count > 0);
    warn(
      `this desk was revoked by an administrator: its copy of the book was erased` +
        (unsent === 'discard'
          ? ', and its unsent work too, as decided'
          : kept.length === 0
            ? ''
            : `; held for the central API: ${kept.map(([what, n]) => `${n} ${what}`).join(', ')}`),
    );
  }

  /** One check or wipe at a time; refusals that arrive meanwhile are answered by it. */
  function enqueue(step: () => Promise<void>): void {
    if (busy) return;
    busy = true;
    work = work
      .then(step)
      .catch((error: unknown) => warn(`revoked desk not wiped: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        busy = false;
      });
  }

  return {
    refused() {
      const heardDuring = sessions.current();
      enqueue(async () => {
        // The refusal proves the revocation; only the decision is asked. Unreachable now: hold, the choice that loses nothing.
        const status = await api.deskRevocation(deskId()).catch(() => ({ revoked: true, unsent: 'hold' as const }));
        if (status.revoked) await wipe(status.unsent ?? 'hold', heardDuring);
      });
    },
    async checkAtStart(signal) {
      enqueue(async () => {
        // A cache that failed its check is never used, not even to read (or first write) the desk's id: the file stays as found.
        const usable = await options.cacheChecked.then(
          () => true,
          () => false,
        );
        if (!usable) return;
        const status = await api.deskRevocation(deskId(), signal).catch(() => null);
        if (status?.revoked) await wipe(status.unsent ?? 'hold', null);
      });
      await work;
    },
    settled: () => work,
  };
}
