// What the GET /outbound/queue tests share: a book where every customer is warned, and an agent's queue.
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { CustomerScore } from '../../../shared/contract/entities';
import { OutboundQueueResponse, type OutboundCandidate } from '../../../shared/contract/outbound-queue';
import type { SqlClient } from '../../../server/db/sql-client';
import { upsertScores } from '../../../server/sync/change-log';
import { bearer } from './test-api';

/** Warns every scored customer red, so that a small book gives every team, region or kind of customer enough at-risk customers to show. */
export async function warnEveryScoreRed(db: SqlClient): Promise<void> {
  const scores = await db.query<{ data: CustomerScore }>('SELECT data FROM scores WHERE NOT deleted');
  await db.transaction((tx) =>
    upsertScores(
      tx,
      scores.map(({ data }) => ({ ...data, warningLevel: 'red' })),
    ),
  );
}

/** The queue of the agent whose token this is, as GET /outbound/queue answers it. */
export async function outboundQueueOf(app: FastifyInstance, token: string): Promise<OutboundCandidate[]> {
  const response = await app.inject({ method: 'GET', url: '/outbound/queue', headers: bearer(token) });
  expect(response.statusCode, response.body).toBe(200);
  return OutboundQueueResponse.parse(response.json()).candidates;
}

/** The customers of a queue's at-risk slots, in its order. */
export const atRiskIdsOf = (queue: readonly OutboundCandidate[]): string[] => queue.filter((c) => c.slot === 'at_risk').map((c) => c.customerId);
