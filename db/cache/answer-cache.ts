// The last answer the central API gave to a question (a report for a period, an agent's outbound
// queue), kept so the desk can still show it offline, marked with when it was fetched.
import type { z } from 'zod';
import type { CacheDb } from './open-cache';

export interface CachedAnswer<T> {
  value: T;
  cachedAt: string;
}

export interface AnswerCache<T> {
  put(key: string, value: T, cachedAt: Date): void;
  /** Null when never cached, or when the stored answer no longer fits the schema (an older app wrote it). */
  get(key: string): CachedAnswer<T> | null;
}

export function createAnswerCache<S extends z.ZodType>(db: CacheDb, table: 'report_cache' | 'outbound_cache', schema: S): AnswerCache<z.infer<S>> {
  const upsert = db.prepare<[string, string, string]>(
    `INSERT INTO ${table} (key, data, cached_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET data = excluded.data, cached_at = excluded.cached_at`,
  );
  const read = db.prepare<[string], { data: string; cached_at: string }>(`SELECT data, cached_at FROM ${table} WHERE key = ?`);
  return {
    put: (key, value, cachedAt) => void upsert.run(key, JSON.stringify(value), cachedAt.toISOString()),
    get(key) {
      const row = read.get(key);
      if (row === undefined) return null;
      const parsed = schema.safeParse(JSON.parse(row.data));
      return parsed.success ? { value: parsed.data, cachedAt: row.cached_at } : null;
    },
  };
}
