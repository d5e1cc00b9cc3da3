// Typed access to autocannon (it ships no type declarations): only the options and result
// fields the API benchmark uses.
import { createRequire } from 'node:module';

export interface LoadRequest {
  method?: 'GET' | 'POST';
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called before each request; mutate and return it (a fresh body, a random cursor). */
  setupRequest?(request: LoadRequest, context: Record<string, unknown>): LoadRequest;
  onResponse?(status: number, body: string, context: Record<string, unknown>): void;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  timeout?: number;
  requests: LoadRequest[];
}

interface Histogram {
  average: number;
  p50: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  requests: Histogram;
  /** Milliseconds. */
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  duration: number;
}

const autocannon = createRequire(import.meta.url)('autocannon') as (options: LoadOptions) => Promise<LoadResult>;

export const runLoad = (options: LoadOptions): Promise<LoadResult> => autocannon(options);
