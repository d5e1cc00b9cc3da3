// The network between the simulated desks and the central API. Every request a desk sends waits
// in a queue until the simulation delivers it, in any order, with a fault of its choosing. A
// crashed desk's requests are never answered (the process is gone); the server may or may not
// have seen them, exactly as after a real crash.
import type { FastifyInstance } from 'fastify';
import { injectRequest, toInjectableRequest, type InjectableRequest } from '../../support/inject-fetch';

export const FAULTS = [
  'none',
  /** Lost on the way: the server never sees it. */
  'drop_request',
  /** The server commits, the answer is lost. */
  'drop_response',
  /** Delivered twice (a retrying proxy); the desk gets the second answer. */
  'duplicate',
  /** A 500 from a failing instance; nothing committed. */
  'server_error',
  /** The desk gives up waiting before the server saw it. */
  'timeout_before',
  /** The desk gives up waiting after the server committed. */
  'timeout_after',
  /** 401 as if the access token had just expired: the desk must refresh and retry. */
  'unauthorized',
  /** Not delivered now: goes to the back of the queue (reordering). */
  'delay',
] as const;
export type Fault = (typeof FAULTS)[number];

export interface QueuedRequest {
  desk: number;
  request: InjectableRequest;
  resolve(response: Response): void;
  reject(error: unknown): void;
}

export interface FaultNetwork {
  fetchFor(desk: number): typeof fetch;
  queued(): readonly QueuedRequest[];
  deliver(index: number, fault: Fault): Promise<void>;
  /** The server gets the request and commits; the answer never arrives (call crash() next). */
  commitWithoutAnswer(index: number): Promise<void>;
  /** The desk crashed: its queued requests stay unanswered forever, and so will any it sends. */
  crash(desk: number): void;
  /** After the run: fail the crashed desks' requests so their abandoned backends can be closed. */
  releaseCrashed(): void;
  stats: Record<Fault, number>;
}

const networkError = () => new TypeError('fetch failed (simulated network fault)');
const timeoutError = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');
const jsonResponse = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export function createFaultNetwork(server: () => FastifyInstance): FaultNetwork {
  const queue: QueuedRequest[] = [];
  const crashed = new Set<number>();
  const hung: QueuedRequest[] = [];
  let released = false;
  const stats = Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>;
  const send = (request: InjectableRequest) => injectRequest(server(), request);

  return {
    fetchFor(desk) {
      return (async (input: string | URL | Request, init?: RequestInit) => {
        const request = toInjectableRequest(input, init);
        return new Promise<Response>((resolve, reject) => {
          const entry: QueuedRequest = { desk, request, resolve, reject };
          if (crashed.has(desk)) return released ? reject(networkError()) : void hung.push(entry);
          queue.push(entry);
          // A live desk that gives up (session ending, its own timeout) takes its request back.
          init?.signal?.addEventListener('abort', () => {
            if (crashed.has(desk)) return;
            const at = queue.indexOf(entry);
            if (at >= 0) queue.splice(at, 1);
            reject(init.signal?.reason);
          });
        });
      }) as typeof fetch;
    },
    queued: () => queue,
    async deliver(index, fault) {
      const [entry] = queue.splice(index, 1);
      if (entry === undefined) throw new RangeError(`no queued request ${index}`);
      stats[fault] += 1;
      switch (fault) {
        case 'none':
          return entry.resolve(await send(entry.request));
        case 'drop_request':
          return entry.reject(networkError());
        case 'drop_response':
          await send(entry.request);
          return entry.reject(networkError());
        case 'duplicate':
          await send(entry.request);
          return entry.resolve(await send(entry.request));
        case 'server_error':
          return entry.resolve(jsonResponse(500, { error: 'internal', message: 'Internal server error (simulated)' }));
        case 'timeout_before':
          return entry.reject(timeoutError());
        case 'timeout_after':
          await send(entry.request);
          return entry.reject(timeoutError());
        case 'unauthorized':
          return entry.resolve(jsonResponse(401, { error: 'unauthorized', message: 'Token expired; log in again (simulated)' }));
        case 'delay':
          queue.push(entry);
          return;
      }
    },
    async commitWithoutAnswer(index) {
      const [entry] = queue.splice(index, 1);
      if (entry === undefined) throw new RangeError(`no queued request ${index}`);
      hung.push(entry);
      await send(entry.request);
    },
    crash(desk) {
      crashed.add(desk);
      for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.desk === desk) hung.push(...queue.splice(i, 1));
    },
    releaseCrashed() {
      released = true;
      for (const entry of hung.splice(0)) entry.reject(networkError());
    },
    stats,
  };
}
