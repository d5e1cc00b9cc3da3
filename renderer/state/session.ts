// Who is at the desk: restoring the session on start, login, logout, an expired or changed
// session, and the language of the screens.
import type { DeskEvent, DeskFailure, Session } from '../../shared/contract/desk-api';
import type { Language } from '../i18n/languages';
import { startCompanySignInFromThisTab, type CompanySignInReturn } from './company-sign-in-return';
import { failureOf } from '../transport/desk-client';
import type { DeskState } from './desk-store';
import type { SliceContext } from './slice-context';

/** Why the backend ended the session under the agent: it expired, or an administrator revoked this desk (with what becomes of the unsent work). */
export type SessionEnd = { reason: 'expired' } | NonNullable<Extract<DeskEvent, { type: 'session' }>['ended']>;

export interface SessionState {
  language: Language;
  session: Session | null;
  /** False until session/current answered, so the login form does not flash on start. */
  sessionChecked: boolean;
  loginPending: boolean;
  loginError: DeskFailure | null;
  /** Set when the backend ended the session under the agent, so the login form can say why. */
  sessionEnded: SessionEnd | null;
  /** The central API offers company sign-in (its OpenID provider); false until it said so. */
  companySignInOffered: boolean;
  /** Why the last company sign-in did not finish. */
  companySignInError: DeskFailure | null;
}

export interface SessionActions {
  /** Subscribes to backend events and restores an existing session; returns the unsubscribe. */
  start(): () => void;
  login(username: string, password: string): Promise<void>;
  /** Asks whether company sign-in is offered (the login screen shows its button only then). */
  loadSignInOptions(): Promise<void>;
  /** Starts company sign-in: Electron answers once signed in; browser mode leaves the page for the IdP and comes back. */
  companySignIn(): Promise<void>;
  /** Browser mode: finishes company sign-in with the answer the page came back with. */
  finishCompanySignIn(answer: CompanySignInReturn): Promise<void>;
  logout(): Promise<void>;
  setLanguage(language: Language): void;
}

export const SESSION_UNCHECKED = {
  sessionChecked: false,
  loginPending: false,
  loginError: null,
  sessionEnded: null,
  companySignInOffered: false,
  companySignInError: null,
} as const;

interface SessionDeps {
  /** What is cleared whenever the person at the desk changes (every slice's signed-out state). */
  signedOut: Partial<DeskState>;
  /** Loads what a signed-in desk shows first (sync status, open interactions). */
  afterSignIn(): Promise<void>;
  /** Applies a language change outside the store (i18next, <html lang>, saved preference). */
  applyLanguage?: (language: Language) => void;
  /** Sends the page elsewhere (browser mode's company sign-in); the window's own location by default. */
  leavePage?: (url: string) => void;
}

export interface SessionSlice {
  actions: SessionActions;
  noteFailure(failure: DeskFailure): void;
  /** The backend says who is signed in now (null: nobody), and why it ended the session when it did so under the agent. */
  sessionChanged(session: Session | null, ended?: SessionEnd): void;
}

export function createSessionSlice({ client, set, get }: SliceContext, { signedOut, afterSignIn, applyLanguage, leavePage }: SessionDeps): SessionSlice {
  const LOGIN_STARTED = { loginPending: true, loginError: null, companySignInError: null, sessionEnded: null } as const;

  async function signedIn(session: Session): Promise<void> {
    set({ ...signedOut, session, loginPending: false });
    await afterSignIn();
  }

  return {
    noteFailure(failure) {
      if (failure.code === 'unauthenticated' && get().session !== null) {
        set({ ...signedOut, sessionEnded: { reason: 'expired' } });
      }
    },

    sessionChanged(session, ended) {
      if (session === null) set({ ...signedOut, ...(ended === undefined ? {} : { sessionEnded: ended }) });
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
        set(LOGIN_STARTED);
        try {
          await signedIn(await client.call('session/login', { username: username.trim(), password }));
        } catch (error) {
          set({ loginPending: false, loginError: failureOf(error) });
        }
      },

      async loadSignInOptions() {
        try {
          set({ companySignInOffered: (await client.call('session/signInOptions', {})).companySignIn });
        } catch {
          // Unknown (the central API does not answer): the username and password form is there either way.
          set({ companySignInOffered: false });
        }
      },

      async companySignIn() {
        set(LOGIN_STARTED);
        try {
          const step = await client.call('session/companySignIn', {});
          if (step.kind === 'signedIn') await signedIn(step.session);
          else (leavePage ?? ((url) => window.location.assign(url)))(startCompanySignInFromThisTab(step.url, window.sessionStorage));
        } catch (error) {
          set({ loginPending: false, companySignInError: failureOf(error) });
        }
      },

      async finishCompanySignIn(answer) {
        if ('notStartedHere' in answer) {
          // A link with someone else's code (login CSRF): refused before any login call.
          const message = 'this company sign-in was not started in this browser tab, so it was refused; press Company sign-in to sign in';
          set({ companySignInError: { code: 'unauthenticated', message } });
          return;
        }
        if ('failure' in answer) {
          set({ companySignInError: { code: 'forbidden', message: answer.failure } });
          return;
        }
        set(LOGIN_STARTED);
        try {
          await signedIn(await client.call('session/login', { username: answer.username, companySignInCode: answer.code }));
        } catch (error) {
          set({ loginPending: false, companySignInError: failureOf(error) });
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
