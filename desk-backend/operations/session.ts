// Logging in and out: a login starts the session runtime (sync engine, CTI stream) whose call
// events keep the agent's open interactions in step and carry the ringing caller's card.
import type { CtiCallEvent } from '../../shared/contract/central-api';
import type { CustomerCard, DeskEvent, DeskInput, DeskOutput, Session } from '../../shared/contract/desk-api';
import type { CentralApiClient, DeskLoginResponse } from '../central-api/central-api-client';
import { DEFAULT_CONTACT_HOURS } from '../../shared/domain/contact-hours';
import { DeskError, toDeskFailure } from '../desk-failure';
import { startSessionRuntime } from '../session-runtime';
import type { CardCompanion, DeskContext, HandlersFor } from './desk-context';
import type { CardOpeners } from './open-card';

/** What the login screen offers, as the central API says (the browser-mode host asks it the same way). */
export async function signInOptionsOf(api: Pick<CentralApiClient, 'signInOptions'>): Promise<DeskOutput<'session/signInOptions'>> {
  return { companySignIn: (await api.signInOptions()).oidc };
}

type SessionOperation = 'session/login' | 'session/logout' | 'session/current' | 'session/signInOptions' | 'session/companySignIn';

/** The ringing caller's card comes the way a look-up's does (`openPhoneCard`): a number outside the cache scope is asked of the central API. */
export function sessionOperations(context: DeskContext, openPhoneCard: CardOpeners['byPhone']): HandlersFor<SessionOperation> {
  const { options, now, warn, api, stores, sessions, emit } = context;

  /** The login answer for a username and password, or for company sign-in's hand-off code. */
  async function signIn(input: DeskInput<'session/login'>): Promise<DeskLoginResponse> {
    if ('password' in input) return api.login(input);
    const login = await api.redeemCompanySignIn({ code: input.companySignInCode });
    if (login.user.id === input.username) return login;
    // The code signed in someone other than the desk was opened for (browser mode keeps one desk per user): end that session.
    if (login.refreshToken !== undefined) await api.logout({ refreshToken: login.refreshToken }).catch(() => undefined);
    throw new DeskError('unauthenticated', `this company sign-in is for ${login.user.id}, not ${input.username}; sign in again`);
  }

  /** Stores a ringing call as the agent's open interaction, with the card built for it (null: the renderer looks it up). */
  function openRingingCall(agentId: string, call: CtiCallEvent, card: CustomerCard | null, at: string): void {
    stores.interactions.open({
      interactionId: call.callId,
      agentId,
      request: { by: 'phone', phone: call.ani.trim(), callId: call.callId, source: 'call' },
      card,
      state: 'ringing',
      at: new Date(at),
    });
  }

  /**
   * Keeps the agent's open interactions in step with the CTI: a ringing call is stored at once
   * (with the card built for it), so a reload or a second call cannot lose it. One in
   * `openedWithCard` was stored already, in its card's audit commit.
   */
  function followCall(agentId: string, event: Extract<DeskEvent, { type: 'call' }>, openedWithCard: Set<string>): void {
    try {
      const call = event.event;
      if (call.event !== 'offered') stores.interactions.followCall(agentId, call, event.at);
      else if (!openedWithCard.delete(call.callId)) openRingingCall(agentId, call, event.card ?? null, event.at);
    } catch (error) {
      // The event still reaches the renderer, which opens the interaction itself.
      warn(`open interaction not updated for a ${event.event.event} event: ${toDeskFailure(error).code}`);
    }
  }

  return {
    'session/login': (input) =>
      sessions.change(async () => {
        const login = await signIn(input);
        if (sessions.closed) throw new DeskError('cache_unavailable', 'the desk backend is closed');
        await sessions.end(true);
        const session: Session = {
          agentId: login.user.id,
          role: login.user.role,
          displayName: login.user.displayName,
          team: login.user.team,
          expiresAt: login.expiresAt,
          contactHours: login.contactHours ?? DEFAULT_CONTACT_HOURS,
        };
        // Ringing calls whose interaction was stored with the card's audit row (the emitted event then only clears them).
        const openedWithCard = new Set<string>();
        const runtime = startSessionRuntime({
          api,
          apiUrl: options.apiUrl,
          login,
          cache: stores.sync,
          now,
          pullIntervalMs: options.pullIntervalMs,
          uploadIntervalMs: options.uploadIntervalMs,
          emit: (event) => {
            if (event.type === 'call') followCall(session.agentId, event, openedWithCard);
            emit(event);
          },
          // Built as the push arrives, in this process: a cached caller pops without a round trip.
          cardForRingingCall: async (event, at) => {
            const phone = event.ani.trim();
            if (phone === '') return null; // withheld: the renderer shows the empty card itself
            // A cached card's audit row and the ringing interaction share one commit, made before the card is sent;
            // when storing the interaction fails, the audit row is still recorded and followCall tries again.
            let stored = false;
            const interaction: CardCompanion = {
              write: (card) => {
                openRingingCall(session.agentId, event, card, at);
                stored = true;
              },
              failed: (error) => warn(`ringing interaction not stored with its card: ${toDeskFailure(error).code}`),
            };
            try {
              const card = await openPhoneCard(phone, event.callId, 'call', interaction);
              // Only now is it committed: a transaction that failed after the write undid it.
              if (stored) openedWithCard.add(event.callId);
              return card;
            } catch (error) {
              // The renderer looks the number up itself, and shows why it failed (offline: the miss message).
              warn(`card for a ringing call not built: ${toDeskFailure(error).code}`);
              return null;
            }
          },
          onPageApplied: (page) => {
            stores.cardQuery.invalidate(page.touched);
          },
          warn,
        });
        sessions.begin({ session, runtime });
        emit({ type: 'session', session });
        return session;
      }),
    'session/logout': () =>
      sessions.change(async () => {
        if (await sessions.end(true)) emit({ type: 'session', session: null });
        return { ok: true as const };
      }),
    'session/current': async () => sessions.current()?.session ?? null,
    'session/signInOptions': () => signInOptionsOf(api),
    'session/companySignIn': async () => {
      // Only the host can open a browser: Electron main and the browser-mode host answer this operation themselves.
      throw new DeskError('bad_request', 'company sign-in is run by the desk host, which opens the browser');
    },
  };
}
