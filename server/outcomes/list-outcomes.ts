import type { OutcomeListResponse, StoredOutcome } from '../../shared/contract/central-api';
import type { Outcome } from '../../shared/contract/outcomes';
import type { SqlClient } from '../db/sql-client';

interface OutcomeRow {
  server_seq: number;
  received_at: Date | string;
  payload: Outcome;
}

export async function listOutcomes(db: SqlClient, after: number, limit: number): Promise<OutcomeListResponse> {
  const rows = await db.query<OutcomeRow>('SELECT server_seq, received_at, payload FROM outcomes WHERE server_seq > $1 ORDER BY server_seq LIMIT $2', [
    after,
    limit,
  ]);
  const outcomes: StoredOutcome[] = rows.map((r) => ({
    ...r.payload,
    serverSeq: r.server_seq,
    receivedAt: new Date(r.received_at).toISOString(),
  }));
  return { outcomes, nextCursor: rows.at(-1)?.server_seq ?? after };
}
