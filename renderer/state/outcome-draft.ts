// Turns the outcome form into the draft the backend records, or says what is missing.
// Pure, so the rules (a declined offer needs its reason, a callback a future time) are testable.
import { withinContactHours, type ContactHours } from '../../shared/domain/contact-hours';
import type { CardOffer, DeskInput } from '../../shared/contract/desk-api';
import type { Role } from '../../shared/contract/central-api';
import type { DeclineReason, NotPresentedReason, OutcomeResult } from '../../shared/contract/outcomes';
import { offerContext } from '../../shared/offers/offer-context';
import { normalizeMobile } from '../../shared/domain/phone';
import { channelOf, type ShownCard } from './shown-card';

export interface OutcomeFormValues {
  result: OutcomeResult | null;
  note: string;
  /** The value of an <input type="datetime-local">: local wall-clock time, no zone. */
  callbackAt: string;
  declineReason: DeclineReason | null;
  notPresentedReason: NotPresentedReason | null;
}

export type OutcomeFormProblem =
  'chooseResult' | 'callbackRequired' | 'callbackInPast' | 'callbackOutsideHours' | 'noOffer' | 'declineReasonRequired' | 'notPresentedReasonRequired';

export type OutcomeDraftInput = DeskInput<'outcome/record'>;

export function buildOutcomeDraft(
  form: OutcomeFormValues,
  view: ShownCard,
  offer: CardOffer | null,
  role: Role | undefined,
  now: Date,
  contactHours: ContactHours,
): { ok: true; draft: OutcomeDraftInput } | { ok: false; problem: OutcomeFormProblem } {
  if (form.result === null) return { ok: false, problem: 'chooseResult' };
  if (form.result !== 'not_presented' && offer === null) return { ok: false, problem: 'noOffer' };
  if (form.result === 'declined' && form.declineReason === null) return { ok: false, problem: 'declineReasonRequired' };
  if (form.result === 'not_presented' && form.notPresentedReason === null) {
    return { ok: false, problem: 'notPresentedReasonRequired' };
  }

  let callbackAt: string | null = null;
  if (form.result === 'callback') {
    if (form.callbackAt.trim() === '') return { ok: false, problem: 'callbackRequired' };
    const when = new Date(form.callbackAt);
    if (Number.isNaN(when.getTime())) return { ok: false, problem: 'callbackRequired' };
    if (when.getTime() <= now.getTime()) return { ok: false, problem: 'callbackInPast' };
    if (!withinContactHours(when, contactHours)) return { ok: false, problem: 'callbackOutsideHours' };
    callbackAt = when.toISOString();
  }

  const { request } = view;
  return {
    ok: true,
    draft: {
      callId: request.callId,
      customerId: view.card.customer?.id ?? null,
      phone: request.by === 'phone' ? normalizeMobile(request.phone) : null,
      offerId: offer?.offerId ?? null,
      result: form.result,
      note: form.note.trim(),
      channel: channelOf(request, role),
      callbackAt,
      // Each reason travels only with the result it explains (the contract refuses it otherwise).
      declineReason: form.result === 'declined' ? form.declineReason : null,
      notPresentedReason: form.result === 'not_presented' ? form.notPresentedReason : null,
      context: offerContext(view.card, offer),
    },
  };
}
