// Matches answers from another process to the invocations that asked for them.
// Used by Electron main (towards the data process); plain logic, tested in Node.
import type { DeskFailure, DeskResult } from '../../shared/contract/desk-api';

export interface RequestCorrelator {
  invoke(operation: string, input: unknown): Promise<DeskResult<unknown>>;
  settle(id: number, result: DeskResult<unknown>): void;
  /** Answers every open request with this failure (the other process died or is not ready). */
  failAll(failure: DeskFailure): void;
  readonly pending: number;
}

export function createRequestCorrelator(
  post: (message: { kind: 'invoke'; id: number; operation: string; input: unknown }) => void,
  timeoutMs = 30_000,
): RequestCorrelator {
  let nextId = 1;
  const open = new Map<number, { resolve: (r: DeskResult<unknown>) => void; timer: ReturnType<typeof setTimeout> }>();

  const settle = (id: number, result: DeskResult<unknown>) => {
    const entry = open.get(id);
    if (!entry) return; // late answer after a timeout: already answered
    clearTimeout(entry.timer);
    open.delete(id);
    entry.resolve(result);
  };

  return {
    invoke(operation, input) {
      const id = nextId++;
      return new Promise((resolve) => {
        const timer = setTimeout(
          () => settle(id, { ok: false, error: { code: 'internal', message: `no answer from the data process within ${timeoutMs} ms` } }),
          timeoutMs,
        );
        open.set(id, { resolve, timer });
        post({ kind: 'invoke', id, operation, input });
      });
    },
    settle,
    failAll(failure) {
      for (const id of [...open.keys()]) settle(id, { ok: false, error: failure });
    },
    get pending() {
      return open.size;
    },
  };
}
