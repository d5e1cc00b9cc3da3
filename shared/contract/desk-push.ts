// What the central API pushes on a desk's WebSocket (GET /cti/stream) when the desk offers the
// DESK_PUSH_PROTOCOL subprotocol: call pushes that carry their place in the call log, a welcome that
// names where the logs stand, and "changes available" hints. A desk that does not offer it gets
// call pushes only, as before.
import { z } from 'zod';
import { CtiPush } from './central-api';

export const DESK_PUSH_PROTOCOL = 'clm.desk-push.v1';
/** The close code of a revoked desk's stream: like 4401, but reconnecting or logging in again will not help (refused desk_revoked). */
export const DESK_REVOKED_CLOSE_CODE = 4403;

const Seq = z.number().int().nonnegative();

/**
 * A call push with its id in the server's call log. A desk that reconnects names the newest id it
 * knows (`GET /cti/stream?after=<seq>`) and is sent its agent's calls it missed, as long as they are at
 * most CALL_RESUME_WINDOW_SECONDS old (an older call has ended or gone to another agent).
 */
export const CallPush = CtiPush.extend({ seq: z.number().int().positive().optional() });
export type CallPush = z.infer<typeof CallPush>;

/** First message on every stream: the newest call id (the desk's resume point) and the newest change seq taken. */
export const StreamWelcome = z.object({ type: z.literal('welcome'), callSeq: Seq, changeSeq: Seq });
export type StreamWelcome = z.infer<typeof StreamWelcome>;

/**
 * Synced rows were committed up to `seq`: a desk whose cursor is behind pulls GET /sync/changes. It
 * names no row, customer or scope (a desk outside the rows' scope simply gets an empty page).
 */
export const ChangesAvailable = z.object({ type: z.literal('changes'), seq: Seq });
export type ChangesAvailable = z.infer<typeof ChangesAvailable>;

export const DeskPush = z.discriminatedUnion('type', [CallPush, StreamWelcome, ChangesAvailable]);
export type DeskPush = z.infer<typeof DeskPush>;

export const CALL_RESUME_WINDOW_SECONDS = 120;

/** The stream's query: `after`, the newest call id the desk had on its previous connection. */
export const StreamResumeQuery = z.object({ after: z.coerce.number().int().nonnegative().optional() });
