// An in-memory DeskClient for renderer tests: per-channel handlers, a log of every call,
// and emit() to push backend events.
import type { DeskChannel, DeskEvent, DeskInput, DeskOutput } from '../../shared/contract/desk-api';
import { DeskClientError, type DeskClient } from '../../renderer/transport/desk-client';

type Handler<C extends DeskChannel> = (input: DeskInput<C>) => DeskOutput<C> | Promise<DeskOutput<C>>;
export type FakeHandlers = { [C in DeskChannel]?: Handler<C> };

export interface RecordedCall {
  channel: DeskChannel;
  input: unknown;
}

export class FakeDeskClient implements DeskClient {
  readonly calls: RecordedCall[] = [];
  private readonly listeners = new Set<(event: DeskEvent) => void>();

  constructor(private readonly handlers: FakeHandlers) {}

  async call<C extends DeskChannel>(channel: C, input: DeskInput<C>): Promise<DeskOutput<C>> {
    this.calls.push({ channel, input });
    const handler = this.handlers[channel] as Handler<C> | undefined;
    if (handler === undefined) throw new DeskClientError('internal', `no fake handler for ${channel}`);
    return handler(input);
  }

  onEvent(listener: (event: DeskEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: DeskEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  callsTo(channel: DeskChannel): unknown[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.input);
  }
}
