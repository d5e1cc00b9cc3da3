// This instance's desk WebSockets, by agent id. Call pushes come from the cti_events NOTIFY channel;
// "changes available" hints from the sync_changes channel, which a trigger on every synced table
// notifies at commit (migration 0017), whichever instance or command wrote the rows. A desk that
// offers DESK_PUSH_PROTOCOL also gets a welcome, the hints, and on a reconnect the calls it missed.
// A revoked desk's streams are closed at once on every instance (the desk_revoked channel), so a lost
// laptop hears no more callers' numbers while its token would still be good for minutes.
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { CtiPush, type CtiCallEvent } from '../../shared/contract/central-api';
import {
  CALL_RESUME_WINDOW_SECONDS,
  DESK_PUSH_PROTOCOL,
  DESK_REVOKED_CLOSE_CODE,
  type CallPush,
  type ChangesAvailable,
  type StreamWelcome,
} from '../../shared/contract/desk-push';
import type { SqlClient } from '../db/sql-client';
import { createDeskRegistry, DESK_REVOKED_CHANNEL } from '../desks/desk-registry';
import { normalizeCallerNumber } from './connectors/caller-number';
import { CTI_CHANNEL } from './publish';

/** Sockets that miss a ping round are dropped, so half-open connections do not pile up. */
const HEARTBEAT_MS = 30_000;
/** The NOTIFY channel of migration 0017's trigger; its payload is the newest change seq of the statement. */
export const CHANGES_CHANNEL = 'sync_changes';
/**
 * A desk gets at most one hint per gap, plus a random share of the spread so that the desks of a big
 * import do not all pull in the same millisecond.
 */
export interface HintPacing {
  gapMs: number;
  spreadMs: number;
}
export const DEFAULT_HINT_PACING: HintPacing = { gapMs: 1000, spreadMs: 500 };
/** A reconnecting desk is sent at most this many missed calls (a whole shift of calls is not a gap). */
const RESUME_LIMIT = 50;

/** Who holds a stream: the agent, the desk the session is bound to (null for a session bound to none), when its token expires. */
export interface StreamHolder {
  agentId: string;
  deskId: string | null;
  closeAt: Date;
  /** The newest call id the desk had before it reconnected. */
  resumeAfter?: number;
}

export interface AgentSockets {
  /** Registers a socket until it closes, its token expires, or its desk is revoked. */
  attach(socket: WebSocket, holder: StreamHolder): void;
  /** Desks connected to this instance right now (one socket each). */
  connectedDesks(): number;
  stop(): Promise<void>;
}

interface DeskSocket {
  socket: WebSocket;
  deskId: string | null;
  /** Whether it takes welcome, hints and seqs (DESK_PUSH_PROTOCOL). */
  pushes: boolean;
  /** Live calls held back while the missed ones are read, so the desk gets them in order. */
  heldBack: string[] | null;
  hintTimer: NodeJS.Timeout | null;
  lastHintAt: number;
}

interface LoggedCall {
  id: number;
  call_id: string;
  ani: string;
  agent_id: string;
  event: CtiCallEvent['event'];
  received_at: Date;
}

/** A logged call as its push was sent: the log keeps the mainland number, the push the E.164 form. */
const pushOfLoggedCall = (row: LoggedCall): CallPush => ({
  type: 'call',
  event: { callId: row.call_id, ani: normalizeCallerNumber(row.ani)?.e164 ?? row.ani, agentId: row.agent_id, event: row.event },
  at: row.received_at.toISOString(),
  seq: row.id,
});

export async function startAgentSockets(db: SqlClient, log: FastifyBaseLogger, pacing: HintPacing = DEFAULT_HINT_PACING): Promise<AgentSockets> {
  const byAgent = new Map<string, Set<DeskSocket>>();
  const alive = new WeakSet<WebSocket>();
  let newestChange = 0;

  const send = (desk: DeskSocket, message: string) => {
    if (desk.socket.readyState === desk.socket.OPEN) desk.socket.send(message);
  };

  const deliverCall = (payload: string) => {
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      message = undefined;
    }
    const parsed = CtiPush.safeParse(message);
    if (!parsed.success) return log.error({ payload }, 'ignoring malformed cti_events notification');
    for (const desk of byAgent.get(parsed.data.event.agentId) ?? []) {
      if (desk.heldBack !== null) desk.heldBack.push(payload);
      // A desk that does not speak DESK_PUSH_PROTOCOL gets the push as before, without its seq.
      else send(desk, desk.pushes ? payload : JSON.stringify(parsed.data));
    }
  };

  const hint = (desk: DeskSocket) => {
    desk.hintTimer = null;
    desk.lastHintAt = Date.now();
    const message: ChangesAvailable = { type: 'changes', seq: newestChange };
    send(desk, JSON.stringify(message));
  };
  const announceChanges = (payload: string) => {
    const seq = Number(payload);
    if (!Number.isSafeInteger(seq)) return log.error({ payload }, 'ignoring malformed sync_changes notification');
    newestChange = Math.max(newestChange, seq);
    for (const desks of byAgent.values())
      for (const desk of desks) {
        // A hint already on its way will carry the newest seq.
        if (!desk.pushes || desk.hintTimer !== null) continue;
        const wait = Math.max(0, desk.lastHintAt + pacing.gapMs - Date.now()) + Math.random() * pacing.spreadMs;
        desk.hintTimer = setTimeout(() => hint(desk), wait);
        desk.hintTimer.unref();
      }
  };

  const closeRevokedDesk = (deskId: string) => {
    for (const desks of byAgent.values()) for (const desk of desks) if (desk.deskId === deskId) desk.socket.close(DESK_REVOKED_CLOSE_CODE, 'desk revoked');
  };

  const unlistenCalls = await db.listen(CTI_CHANNEL, deliverCall);
  const unlistenChanges = await db.listen(CHANGES_CHANNEL, announceChanges);
  const unlistenRevocations = await db.listen(DESK_REVOKED_CHANNEL, closeRevokedDesk);
  const registry = createDeskRegistry(db);

  /** Welcome, then the calls missed since `resumeAfter`, then what arrived meanwhile (each call once). */
  async function greet(desk: DeskSocket, agentId: string, resumeAfter: number | undefined): Promise<void> {
    const [head] = await db.query<{ call_seq: number | null; change_seq: number; change_taken: boolean }>(
      'SELECT (SELECT max(id) FROM cti_calls) AS call_seq, last_value AS change_seq, is_called AS change_taken FROM sync_change_seq',
    );
    const missed =
      resumeAfter === undefined
        ? []
        : await db.query<LoggedCall>(
            `SELECT id, call_id, ani, agent_id, event, received_at FROM cti_calls
             WHERE agent_id = $1 AND id > $2 AND received_at > now() - make_interval(secs => $3) ORDER BY id LIMIT $4`,
            [agentId, resumeAfter, CALL_RESUME_WINDOW_SECONDS, RESUME_LIMIT],
          );
    const welcome: StreamWelcome = { type: 'welcome', callSeq: head?.call_seq ?? 0, changeSeq: head?.change_taken ? head.change_seq : 0 };
    send(desk, JSON.stringify(welcome));
    const sent = new Set<number>();
    for (const row of missed) {
      sent.add(row.id);
      send(desk, JSON.stringify(pushOfLoggedCall(row)));
    }
    const heldBack = desk.heldBack ?? [];
    desk.heldBack = null;
    for (const payload of heldBack) {
      const seq = (JSON.parse(payload) as { seq?: number }).seq;
      if (seq === undefined || !sent.has(seq)) send(desk, payload);
    }
  }

  const heartbeat = setInterval(() => {
    for (const desks of byAgent.values())
      for (const { socket } of desks) {
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
    connectedDesks: () => [...byAgent.values()].reduce((total, desks) => total + desks.size, 0),
    attach(socket, { agentId, deskId, closeAt, resumeAfter }) {
      const pushes = socket.protocol === DESK_PUSH_PROTOCOL;
      const desk: DeskSocket = { socket, deskId, pushes, heldBack: pushes ? [] : null, hintTimer: null, lastHintAt: 0 };
      const desks = byAgent.get(agentId) ?? new Set<DeskSocket>();
      desks.add(desk);
      byAgent.set(agentId, desks);
      alive.add(socket);
      socket.on('pong', () => alive.add(socket));
      // 4401: the desk should log in again and reconnect with a fresh token.
      const expiry = setTimeout(() => socket.close(4401, 'token expired'), Math.max(0, closeAt.getTime() - Date.now()));
      socket.on('close', () => {
        clearTimeout(expiry);
        if (desk.hintTimer !== null) clearTimeout(desk.hintTimer);
        desks.delete(desk);
        if (desks.size === 0 && byAgent.get(agentId) === desks) byAgent.delete(agentId);
      });
      if (pushes)
        greet(desk, agentId, resumeAfter).catch((error: unknown) => {
          // Without its welcome the desk cannot resume later: close, and it reconnects.
          log.error({ err: error }, 'could not greet a desk stream');
          socket.close(1011, 'try again');
        });
      // A revocation that committed after the token was checked but was heard before the socket was
      // registered would miss it: asked again now that it is, every later one is heard.
      if (deskId !== null)
        registry.isRevoked(deskId).then(
          (revoked) => {
            if (revoked) closeRevokedDesk(deskId);
          },
          (error: unknown) => log.error({ err: error }, 'could not check a desk stream’s revocation'),
        );
    },
    async stop() {
      clearInterval(heartbeat);
      for (const desks of byAgent.values()) for (const desk of desks) if (desk.hintTimer !== null) clearTimeout(desk.hintTimer);
      await unlistenCalls();
      await unlistenChanges();
      await unlistenRevocations();
    },
  };
}
