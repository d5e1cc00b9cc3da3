// PostgreSQL through a pg Pool. LISTEN needs a session that stays open, so notifications use one
// dedicated connection outside the pool, re-established (and re-LISTENed) if it drops.
import pg from 'pg';
import { assertChannelName, notifyWith, parseSafeInt8, withSavepoint, type SqlClient } from './sql-client';
import { DEFAULT_DB_POOL_SIZE, type DatabasePoolSettings } from '../config';

const INT8_OID = 20;
const LISTENER_RETRY_MS = 1000;

const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? parseSafeInt8 : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

type Queryable = Pick<pg.PoolClient, 'query'>;

function queryVia(conn: Queryable) {
  return async <T>(sql: string, params?: readonly unknown[]): Promise<T[]> => (await conn.query(sql, params ? [...params] : undefined)).rows as T[];
}

export async function openPostgresClient(
  connectionString: string,
  settings: DatabasePoolSettings = { poolSize: DEFAULT_DB_POOL_SIZE, statementTimeoutMs: 0 },
): Promise<SqlClient> {
  const pool = new pg.Pool({
    connectionString,
    types: typeParsers,
    max: settings.poolSize,
    // Sent at connect time, so every pooled session has it without a SET per checkout.
    ...(settings.statementTimeoutMs > 0 ? { statement_timeout: settings.statementTimeoutMs } : {}),
  });
  // An idle client can fail (server restart); without a handler pg would crash the process.
  pool.on('error', (error) => console.error(`[db] idle PostgreSQL client error: ${error.message}`));
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }

  const notifications = createNotificationListener(connectionString);

  const wrapTransaction = (conn: pg.PoolClient): SqlClient => {
    const client: SqlClient = {
      query: queryVia(conn),
      transaction: (fn) => withSavepoint(client, fn),
      listen: notifications.listen,
      notify: (channel, payload) => notifyWith(client, channel, payload),
      close: () => Promise.reject(new Error('close() called on a transaction handle')),
    };
    return client;
  };

  const root: SqlClient = {
    query: queryVia(pool),
    async transaction(fn) {
      const conn = await pool.connect();
      try {
        await conn.query('BEGIN');
        const result = await fn(wrapTransaction(conn));
        await conn.query('COMMIT');
        return result;
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        conn.release();
      }
    },
    listen: notifications.listen,
    notify: (channel, payload) => notifyWith(root, channel, payload),
    async close() {
      await notifications.close();
      await pool.end();
    },
  };
  return root;
}

function createNotificationListener(connectionString: string) {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  let connection: Promise<pg.Client> | null = null;
  let closed = false;

  const scheduleReconnect = () => {
    setTimeout(() => {
      if (closed || connection !== null || handlers.size === 0) return;
      ensureConnected().catch((error: Error) => {
        console.error(`[db] LISTEN reconnect failed: ${error.message}`);
        scheduleReconnect();
      });
    }, LISTENER_RETRY_MS).unref();
  };

  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString, types: typeParsers });
    let dropped = false;
    const drop = (reason: string) => {
      if (dropped || closed) return;
      dropped = true;
      console.error(`[db] LISTEN connection lost (${reason}); reconnecting`);
      connection = null;
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end().catch(() => undefined);
      scheduleReconnect();
    };
    client.on('notification', (message) => {
      for (const handler of handlers.get(message.channel) ?? []) handler(message.payload ?? '');
    });
    client.on('error', (error) => drop(error.message));
    client.on('end', () => drop('connection ended'));
    await client.connect();
    for (const channel of handlers.keys()) await client.query(`LISTEN ${channel}`);
    return client;
  };

  const ensureConnected = (): Promise<pg.Client> => {
    connection ??= connect().catch((error: unknown) => {
      connection = null;
      throw error;
    });
    return connection;
  };

  const listen: SqlClient['listen'] = async (channel, onPayload) => {
    assertChannelName(channel);
    const existing = handlers.get(channel);
    const set = existing ?? new Set<(payload: string) => void>();
    set.add(onPayload);
    handlers.set(channel, set);
    const client = await ensureConnected();
    // A fresh connection already LISTENed to every registered channel in connect().
    if (existing === undefined) await client.query(`LISTEN ${channel}`);
    return async () => {
      set.delete(onPayload);
      if (set.size > 0 || handlers.get(channel) !== set) return;
      handlers.delete(channel);
      if (connection !== null && !closed) await (await connection).query(`UNLISTEN ${channel}`);
    };
  };

  const close = async () => {
    closed = true;
    const current = connection;
    connection = null;
    if (current !== null) await (await current.catch(() => null))?.end().catch(() => undefined);
  };

  return { listen, close };
}
