// Turns the outcome form into the draft the backend records, or says what is missing.
// Pure, so the rules (callback needs a future time, offer outcomes need the offer) are testable.
import type { DeskInput } from '../../shared/contract/desk-api';
import type { OutcomeResult } from '../../shared/contract/outcomes';
import { normalizeMobile } from '../../shared/domain/phone';
import type { CardView } from './card-view';

export interface OutcomeFormValues {
  result: OutcomeResult | null;
  note: string;
  /** The value of an <input type="datetime-local">: local wall-clock time, no zone. */
  callbackAt: string;
}

export type OutcomeFormProblem = 'chooseResult' | 'callbackRequired' | 'callbackInPast' | 'noOffer';

export type OutcomeDraftInput = DeskInput<'outcome/record'>;

export function buildOutcomeDraft(
  form: OutcomeFormValues,
  view: CardView,
  offerId: string | null,
  now: Date,
): { ok: true; draft: OutcomeDraftInput } | { ok: false; problem: OutcomeFormProblem } {
  if (form.result === null) return { ok: false, problem: 'chooseResult' };
  if (form.result !== 'not_presented' && offerId === null) return { ok: false, problem: 'noOffer' };

  let callbackAt: string | null = null;
  if (form.result === 'callback') {
    if (form.callbackAt.trim() === '') return { ok: false, problem: 'callbackRequired' };
    const when = new Date(form.callbackAt);
    if (Number.isNaN(when.getTime())) return { ok: false, problem: 'callbackRequired' };
    if (when.getTime() <= now.getTime()) return { ok: false, problem: 'callbackInPast' };
    callbackAt = when.toISOString();
  }

  return {
    ok: true,
    draft: {
      callId: view.callId,
      customerId: view.card.customer?.id ?? null,
      phone: normalizeMobile(view.phone),
      offerId,
      result: form.result,
      note: form.note.trim(),
      // A ringing call is the hotline; a number typed in is a counter (store) contact.
      channel: view.source === 'call' ? 'hotline' : 'store',
      callbackAt,
    },
  };
}
