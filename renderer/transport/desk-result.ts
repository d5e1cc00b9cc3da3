// Both transports receive untrusted values from another process: these checks turn them
// into a typed output or a DeskClientError, identically for IPC and HTTP.
import { z } from 'zod';
import { DeskEvent, DeskFailure, deskContract, type DeskOperation, type DeskOutput } from '../../shared/contract/desk-api';
import { DeskClientError } from './desk-client';

const DeskResultEnvelope = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: DeskFailure }),
]);

/** Unwraps a DeskResult: the output parsed with the operation's schema, or a thrown DeskClientError. */
export function unwrapDeskResult<C extends DeskOperation>(operation: C, raw: unknown): DeskOutput<C> {
  const envelope = DeskResultEnvelope.safeParse(raw);
  if (!envelope.success) {
    throw new DeskClientError('internal', `${operation}: the backend sent something that is not a DeskResult`);
  }
  if (!envelope.data.ok) {
    const { code, message, ...extras } = envelope.data.error;
    throw new DeskClientError(code, message, extras);
  }
  const output = deskContract[operation].output.safeParse(envelope.data.value);
  if (!output.success) {
    throw new DeskClientError('internal', `${operation}: unexpected output shape (${z.prettifyError(output.error)})`);
  }
  return output.data as DeskOutput<C>;
}

/** A pushed event, or null when it does not match the contract (it is then dropped). */
export function parseDeskEvent(raw: unknown): DeskEvent | null {
  const parsed = DeskEvent.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
