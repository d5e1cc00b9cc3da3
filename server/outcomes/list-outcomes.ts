import type { OutcomeListResponse, StoredOutcome } from '../../shared/contract/central-api';
import type { Outcome } from '../../shared/contract/outcomes';
import { OUTCOME_LOG, commitOrderHorizon } from '../db/commit-order';
import type { SqlClient } from '../db/sql-client';

interface OutcomeRow {
  server_seq: number;
  received_at: Date | string;
  payload: Outcome;
}

export async function listOutcomes(db: SqlClient, after: number, limit: number): Promise<OutcomeListResponse> {
  // Up to the commit-order horizon (server/db/commit-order.ts), read first: the cursor never passes a batch still committing.
  const horizon = await commitOrderHorizon(db, OUTCOME_LOG);
  const rows = await db.query<OutcomeRow>(
    'SELECT server_seq, received_at, payload FROM outcomes WHERE server_seq > $1 AND server_seq <= $3 ORDER BY server_seq LIMIT $2',
    [after, limit, horizon],
  );
  const outcomes: StoredOutcome[] = rows.map((r) => ({
    ...r.payload,
    serverSeq: r.server_seq,
    receivedAt: new Date(r.received_at).toISOString(),
  }));
  return { outcomes, nextCursor: rows.at(-1)?.server_seq ?? after };
}
