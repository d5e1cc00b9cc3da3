// Logging a complaint asks what it is about (a category) and takes an optional note; once
// submitted it waits a few seconds, in which the agent can undo it, before it is logged. Undo
// puts the form back with what was typed.
import type { ComplaintCategory, CustomerEventKind } from '../../shared/contract/customer-events';
import type { SliceContext } from './slice-context';

/** Who an event is about and what the agent said about it. */
export interface CustomerEventDetails {
  customerId: string;
  callId: string | null;
  category: ComplaintCategory | null;
  note: string;
}

/** The form is about the customer on screen when it opened, whatever comes on screen meanwhile. */
export interface ComplaintFormState extends CustomerEventDetails {
  problem: 'chooseCategory' | null;
}

export interface ComplaintState {
  /** The complaint form, open with what was typed so far (null: closed). */
  complaintForm: ComplaintFormState | null;
  /** A submitted complaint waiting out its undo window before it is logged. */
  pendingComplaint: CustomerEventDetails | null;
}

export interface ComplaintActions {
  /** Alt+C: opens the complaint form for the customer on screen. */
  askComplaint(): void;
  editComplaint(patch: Partial<Pick<ComplaintFormState, 'category' | 'note'>>): void;
  cancelComplaint(): void;
  /** Queues the complaint after the undo window (a category is required). */
  submitComplaint(): void;
  /** Takes the queued complaint back into the form, nothing sent. */
  undoComplaint(): void;
  /** Logs a queued complaint now (before a logout, say). */
  flushComplaint(): Promise<void>;
}

export const NO_COMPLAINT: ComplaintState = { complaintForm: null, pendingComplaint: null };
export const COMPLAINT_UNDO_MS = 5000;

interface ComplaintDeps {
  logEvent: (kind: CustomerEventKind, details: CustomerEventDetails) => Promise<void>;
  undoMs: number;
}

export function createComplaintSlice({ set, get }: SliceContext, { logEvent, undoMs }: ComplaintDeps): { actions: ComplaintActions } {
  let timer: ReturnType<typeof setTimeout> | null = null;

  const send = async () => {
    const pending = get().pendingComplaint;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (pending === null) return;
    set({ pendingComplaint: null });
    await logEvent('complaint', pending);
  };

  const actions: ComplaintActions = {
    askComplaint() {
      const { current, complaintForm } = get();
      const customerId = current?.card.customer?.id;
      if (current === null || customerId === undefined || complaintForm !== null) return;
      set({ complaintForm: { customerId, callId: current.request.callId, category: null, note: '', problem: null } });
    },

    editComplaint(patch) {
      set((s) => (s.complaintForm === null ? {} : { complaintForm: { ...s.complaintForm, ...patch, problem: null } }));
    },

    cancelComplaint() {
      set({ complaintForm: null });
    },

    submitComplaint() {
      const form = get().complaintForm;
      if (form === null) return;
      if (form.category === null) {
        set({ complaintForm: { ...form, problem: 'chooseCategory' } });
        return;
      }
      // One complaint waits at a time: an earlier one still in its window is logged now.
      void send();
      const { customerId, callId, category } = form;
      set({ complaintForm: null, pendingComplaint: { customerId, callId, category, note: form.note.trim() } });
      timer = setTimeout(() => void send(), undoMs);
    },

    undoComplaint() {
      const pending = get().pendingComplaint;
      if (pending === null) return;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      set({ pendingComplaint: null, complaintForm: { ...pending, problem: null } });
    },

    flushComplaint: send,
  };
  return { actions };
}
