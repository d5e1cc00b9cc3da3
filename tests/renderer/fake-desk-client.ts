// An in-memory DeskClient for renderer tests: per-operation handlers, a log of every call,
// and emit() to push backend events.
import {
  CustomerCard,
  EMPTY_INTERACTION_DRAFT,
  type DeskOperation,
  type DeskEvent,
  type DeskInput,
  type DeskOutput,
  type InteractionDraft,
  type OpenInteraction,
} from '../../shared/contract/desk-api';
import { DeskClientError, type DeskClient } from '../../renderer/transport/desk-client';

type Handler<C extends DeskOperation> = (input: DeskInput<C>) => DeskOutput<C> | Promise<DeskOutput<C>>;
export type FakeHandlers = { [C in DeskOperation]?: Handler<C> };

export interface RecordedCall {
  operation: DeskOperation;
  input: unknown;
}

export class FakeDeskClient implements DeskClient {
  readonly calls: RecordedCall[] = [];
  private readonly listeners = new Set<(event: DeskEvent) => void>();

  constructor(private readonly handlers: FakeHandlers) {}

  async call<C extends DeskOperation>(operation: C, input: DeskInput<C>): Promise<DeskOutput<C>> {
    this.calls.push({ operation, input });
    const handler = this.handlers[operation] as Handler<C> | undefined;
    if (handler === undefined) throw new DeskClientError('internal', `no fake handler for ${operation}`);
    return handler(input);
  }

  onEvent(listener: (event: DeskEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: DeskEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  callsTo(operation: DeskOperation): unknown[] {
    return this.calls.filter((c) => c.operation === operation).map((c) => c.input);
  }
}

/**
 * The desk cache's open interactions, in memory, as the desk backend keeps them: handlers for the
 * interaction/* operations, `follow` for what the backend does as a CTI event arrives (store the
 * ringing call, move it to talking / wrap-up), and `close` for outcome/record with an interactionId.
 */
export class FakeInteractionDesk {
  readonly open = new Map<string, OpenInteraction>();
  readonly discards: { interactionId: string; reason: string; draft: InteractionDraft }[] = [];

  constructor(
    initial: readonly OpenInteraction[] = [],
    private readonly now = () => new Date('2025-06-15T09:00:00Z'),
  ) {
    for (const interaction of initial) this.open.set(interaction.interactionId, interaction);
  }

  private find(interactionId: string): OpenInteraction {
    const found = this.open.get(interactionId);
    if (found === undefined) throw new DeskClientError('not_found', 'no such open interaction');
    return found;
  }

  readonly handlers: FakeHandlers = {
    'interaction/list': () => ({ interactions: [...this.open.values()] }),
    'interaction/open': ({ interactionId, request, card: given }) => {
      const card = CustomerCard.parse(given);
      const known = this.open.get(interactionId);
      const opened: OpenInteraction = known
        ? { ...known, card: known.card ?? card }
        : {
            interactionId,
            request,
            card,
            state: request.source === 'call' ? 'ringing' : 'talking',
            openedAt: this.now().toISOString(),
            wrapUpStartedAt: null,
            draft: EMPTY_INTERACTION_DRAFT,
          };
      this.open.set(interactionId, opened);
      return opened;
    },
    'interaction/saveDraft': ({ interactionId, draft }) => {
      this.open.set(interactionId, { ...this.find(interactionId), draft });
      return { savedAt: this.now().toISOString() };
    },
    'interaction/endCall': ({ interactionId }) => {
      const ended: OpenInteraction = { ...this.find(interactionId), state: 'wrap_up', wrapUpStartedAt: this.now().toISOString() };
      this.open.set(interactionId, ended);
      return ended;
    },
    'interaction/discard': ({ interactionId, reason = '' }) => {
      const { draft } = this.find(interactionId);
      this.open.delete(interactionId);
      this.discards.push({ interactionId, reason, draft });
      return { discardId: `discard-${this.discards.length}` };
    },
  };

  /** What the backend does with a call event before the renderer gets it. */
  follow(event: DeskEvent): DeskEvent {
    if (event.type !== 'call') return event;
    const { callId, ani } = event.event;
    const known = this.open.get(callId);
    if (event.event.event === 'offered' && known === undefined) {
      this.open.set(callId, {
        interactionId: callId,
        request: { by: 'phone', phone: ani.trim(), callId, source: 'call' },
        card: event.card ?? null,
        state: 'ringing',
        openedAt: event.at,
        wrapUpStartedAt: null,
        draft: EMPTY_INTERACTION_DRAFT,
      });
    } else if (known !== undefined && event.event.event === 'answered' && known.state === 'ringing') {
      this.open.set(callId, { ...known, state: 'talking' });
    } else if (known !== undefined && event.event.event === 'ended' && known.state !== 'wrap_up') {
      this.open.set(callId, { ...known, state: 'wrap_up', wrapUpStartedAt: event.at });
    }
    return event;
  }

  close(interactionId: string | null | undefined): void {
    if (interactionId != null) this.open.delete(interactionId);
  }
}
