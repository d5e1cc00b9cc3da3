// Messages between Electron main and the data process (utilityProcess). Main only brokers:
// it forwards renderer invocations and relays pushed events; it never touches SQLite.
import { z } from 'zod';
import { DeskEvent, DeskFailure } from '../../shared/contract/desk-api';

export const ToDataProcess = z.discriminatedUnion('kind', [
  /** Main's first message: the cache's key from the OS keychain (electron/main/desk-cache-key.ts). */
  z.object({ kind: z.literal('open'), cacheKey: z.string() }),
  z.object({ kind: z.literal('invoke'), id: z.number().int(), operation: z.string(), input: z.unknown() }),
  z.object({ kind: z.literal('shutdown') }),
]);
export type ToDataProcess = z.infer<typeof ToDataProcess>;

const DeskResultMessage = z.union([z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: DeskFailure })]);

export const FromDataProcess = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready') }),
  z.object({ kind: z.literal('result'), id: z.number().int(), result: DeskResultMessage }),
  z.object({ kind: z.literal('event'), event: DeskEvent }),
  /** The cache could not be opened (corrupt, foreign file, newer version): shown to the user. */
  z.object({ kind: z.literal('fatal'), message: z.string() }),
]);
export type FromDataProcess = z.infer<typeof FromDataProcess>;
