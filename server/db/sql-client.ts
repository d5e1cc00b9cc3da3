// The one database interface the central API uses. Two drivers implement it with the same SQL:
// PostgreSQL (pg Pool) for deployments and embedded PGlite for demos and tests.

export interface SqlClient {
  /** Runs one statement. Inside `transaction`, always use the `tx` handed to the callback. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Commits when `fn` resolves, rolls back when it throws. Nested calls become savepoints. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** Subscribes to NOTIFY on `channel`; resolves to an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** NOTIFY; inside a transaction it is delivered when the transaction commits. */
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

export type SqlDriverName = 'postgres' | 'pglite';

/** Both drivers parse int8 with this, so bigint columns (seqs, counts) arrive as plain numbers. */
export function parseSafeInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} exceeds the JavaScript safe integer range`);
  return value;
}

/** LISTEN takes an identifier, not a parameter, so channel names are restricted to plain identifiers. */
export function assertChannelName(channel: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid notification channel name: ${channel}`);
}

const NOTIFY_SQL = 'SELECT pg_notify($1, $2)';
export async function notifyWith(client: Pick<SqlClient, 'query'>, channel: string, payload: string): Promise<void> {
  assertChannelName(channel);
  await client.query(NOTIFY_SQL, [channel, payload]);
}

/** Nested transactions on a driver's transaction handle: a savepoint, released or rolled back. */
let savepointCounter = 0;
export async function withSavepoint<T>(tx: SqlClient, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  const name = `sp_${++savepointCounter}`;
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn(tx);
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw error;
  }
}
