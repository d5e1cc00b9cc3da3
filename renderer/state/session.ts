// Who is at the desk: restoring the session on start, login, logout, an expired or changed
// session, and the language of the screens.
import type { DeskFailure, Session } from '../../shared/contract/desk-api';
import type { Language } from '../i18n/languages';
import { failureOf } from '../transport/desk-client';
import type { DeskState } from './desk-store';
import type { SliceContext } from './slice-context';

export interface SessionState {
  language: Language;
  session: Session | null;
  /** False until session/current answered, so the login form does not flash on start. */
  sessionChecked: boolean;
  loginPending: boolean;
  loginError: DeskFailure | null;
  /** Set when the backend ended the session under the agent, so the login form can say why. */
  sessionExpired: boolean;
}

export interface SessionActions {
  /** Subscribes to backend events and restores an existing session; returns the unsubscribe. */
  start(): () => void;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  setLanguage(language: Language): void;
}

export const SESSION_UNCHECKED = { sessionChecked: false, loginPending: false, loginError: null, sessionExpired: false } as const;

interface SessionDeps {
  /** What is cleared whenever the person at the desk changes (every slice's signed-out state). */
  signedOut: Partial<DeskState>;
  /** Loads what a signed-in desk shows first (sync status, open interactions). */
  afterSignIn(): Promise<void>;
  /** Applies a language change outside the store (i18next, <html lang>, saved preference). */
  applyLanguage?: (language: Language) => void;
}

export interface SessionSlice {
  actions: SessionActions;
  noteFailure(failure: DeskFailure): void;
  /** The backend says who is signed in now (null: nobody). */
  sessionChanged(session: Session | null): void;
}

export function createSessionSlice({ client, set, get }: SliceContext, { signedOut, afterSignIn, applyLanguage }: SessionDeps): SessionSlice {
  return {
    noteFailure(failure) {
      if (failure.code === 'unauthenticated' && get().session !== null) {
        set({ ...signedOut, sessionExpired: true });
      }
    },

    sessionChanged(session) {
      if (session === null) set({ ...signedOut });
      else if (get().session?.agentId !== session.agentId) {
        set({ ...signedOut, session });
        void get().actions.loadInteractions();
      } else set({ session });
    },

    actions: {
      start() {
        const unsubscribe = client.onEvent((event) => get().actions.handleEvent(event));
        void (async () => {
          try {
            const session = await client.call('session/current', {});
            set({ session, sessionChecked: true });
            if (session !== null) await afterSignIn();
          } catch {
            set({ sessionChecked: true });
          }
        })();
        return unsubscribe;
      },

      async login(username, password) {
        set({ loginPending: true, loginError: null, sessionExpired: false });
        try {
          const session = await client.call('session/login', { username: username.trim(), password });
          set({ ...signedOut, session, loginPending: false });
          await afterSignIn();
        } catch (error) {
          set({ loginPending: false, loginError: failureOf(error) });
        }
      },

      async logout() {
        // The desk keeps the open interactions for the next login: their last keystrokes go first,
        // and a complaint still in its undo window is logged while the session lasts.
        await Promise.all([get().actions.flushDrafts(), get().actions.flushComplaint()]);
        try {
          await client.call('session/logout', {});
        } catch {
          // The desk forgets the session either way; the backend expires it on its own.
        }
        set({ ...signedOut, loginError: null });
      },

      setLanguage(language) {
        set({ language });
        applyLanguage?.(language);
      },
    },
  };
}
