// Embedded PostgreSQL (PGlite, WebAssembly): in memory without a data dir, file-backed with one.
// PGlite is a single connection; its transaction() holds a mutex, so code inside a transaction
// must use the tx handle (a query on the root instance would wait for the transaction forever).
import { mkdir } from 'node:fs/promises';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { assertChannelName, notifyWith, parseSafeInt8, withSavepoint, type SqlClient } from './sql-client';

/** With `dump` (a tarball from PGlite's dumpDataDir) and no data dir, an in-memory database starts from that data: the tests' database templates. */
export async function openPgliteClient(dataDir?: string, dump?: Blob): Promise<SqlClient> {
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { parsers: { [types.INT8]: parseSafeInt8 }, ...(dump ? { loadDataDir: dump } : {}) });

  const listen: SqlClient['listen'] = async (channel, onPayload) => {
    assertChannelName(channel);
    const unsubscribe = await db.listen(channel, onPayload);
    return () => unsubscribe();
  };

  const wrapTransaction = (tx: Transaction): SqlClient => {
    const client: SqlClient = {
      query: async <T>(sql: string, params?: readonly unknown[]) => (await tx.query<T>(sql, params ? [...params] : undefined)).rows,
      transaction: (fn) => withSavepoint(client, fn),
      listen,
      notify: (channel, payload) => notifyWith(client, channel, payload),
      close: () => Promise.reject(new Error('close() called on a transaction handle')),
    };
    return client;
  };

  const root: SqlClient = {
    query: async <T>(sql: string, params?: readonly unknown[]) => (await db.query<T>(sql, params ? [...params] : undefined)).rows,
    transaction: (fn) => db.transaction((tx) => fn(wrapTransaction(tx))),
    listen,
    notify: (channel, payload) => notifyWith(root, channel, payload),
    close: () => db.close(),
  };
  return root;
}
