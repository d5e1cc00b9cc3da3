// This instance's WebSocket connections, by agent id, fed from the cti_events NOTIFY channel.
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { CtiPush } from '../../shared/contract/central-api';
import type { SqlClient } from '../db/sql-client';
import { CTI_CHANNEL } from './publish';

/** Sockets that miss a ping round are dropped, so half-open connections do not pile up. */
const HEARTBEAT_MS = 30_000;

export interface AgentSockets {
  /** Registers a socket until it closes (or until `closeAt`, when the session token expires). */
  attach(agentId: string, socket: WebSocket, closeAt: Date): void;
  /** Desks connected to this instance right now (one socket each). */
  connectedDesks(): number;
  stop(): Promise<void>;
}

export async function startAgentSockets(db: SqlClient, log: FastifyBaseLogger): Promise<AgentSockets> {
  const byAgent = new Map<string, Set<WebSocket>>();
  const alive = new WeakSet<WebSocket>();

  const deliver = (payload: string) => {
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      message = undefined;
    }
    const parsed = CtiPush.safeParse(message);
    if (!parsed.success) return log.error({ payload }, 'ignoring malformed cti_events notification');
    for (const socket of byAgent.get(parsed.data.event.agentId) ?? []) if (socket.readyState === socket.OPEN) socket.send(payload);
  };
  const unlisten = await db.listen(CTI_CHANNEL, deliver);

  const heartbeat = setInterval(() => {
    for (const sockets of byAgent.values())
      for (const socket of sockets) {
        if (!alive.has(socket)) {
          socket.terminate();
          continue;
        }
        alive.delete(socket);
        socket.ping();
      }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    connectedDesks: () => [...byAgent.values()].reduce((total, sockets) => total + sockets.size, 0),
    attach(agentId, socket, closeAt) {
      const sockets = byAgent.get(agentId) ?? new Set<WebSocket>();
      sockets.add(socket);
      byAgent.set(agentId, sockets);
      alive.add(socket);
      socket.on('pong', () => alive.add(socket));
      // 4401: the desk should log in again and reconnect with a fresh token.
      const expiry = setTimeout(() => socket.close(4401, 'token expired'), Math.max(0, closeAt.getTime() - Date.now()));
      socket.on('close', () => {
        clearTimeout(expiry);
        sockets.delete(socket);
        if (sockets.size === 0 && byAgent.get(agentId) === sockets) byAgent.delete(agentId);
      });
    },
    async stop() {
      clearInterval(heartbeat);
      await unlisten();
    },
  };
}
