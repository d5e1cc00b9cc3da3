// Desk revocation: an administrator cuts a lost or stolen laptop's desk off (admin routes under
// /desks and `clm desks`). A desk is the cache file's device id (db/replica/sync-state.ts), which the
// desk names in the X-CLM-Desk header; sessions started with it are bound to it, so revoking the desk
// ends them at once. What the desk does about its unsent work is the administrator's decision.
import { z } from 'zod';
import { IsoDateTime } from './entities';

/** The header a desk names itself in; a login or company sign-in that carries it binds the session to the desk. */
export const DESK_ID_HEADER = 'x-clm-desk';

/** The error code of every refusal of a revoked desk (login 403, refresh and bearer calls 401). */
export const DESK_REVOKED_ERROR = 'desk_revoked';

/** The same shape as the deviceId the uploads carry. */
export const DeskId = z.string().min(1).max(64);

export const DeskIdHeaders = z.looseObject({
  [DESK_ID_HEADER]: DeskId.optional().meta({
    description: "The desk's id (its cache's device id): the session is bound to this desk and ends when an administrator revokes it.",
    example: 'desk-7f3a',
  }),
});

/**
 * What a revoked desk does with what it has not uploaded yet (outcomes, customer events, audit rows, open
 * drafts): `hold` keeps them in its cache until the desk is reinstated (then they upload as usual) or the
 * decision becomes `discard`, which erases them with the rest. The copy of the book is erased either way.
 */
export const UnsentDecision = z.enum(['hold', 'discard']);
export type UnsentDecision = z.infer<typeof UnsentDecision>;

export const DeskRecord = z.object({
  deskId: DeskId,
  /** The user of the last session started on this desk; null when it only ever uploaded (a desk from before revocation). */
  lastUserId: z.string().nullable(),
  lastSeenAt: IsoDateTime.nullable(),
  revokedAt: IsoDateTime.nullable(),
  revokedBy: z.string().nullable(),
  revokeReason: z.string().nullable(),
  unsent: UnsentDecision.nullable(),
});
export type DeskRecord = z.infer<typeof DeskRecord>;
export const DeskList = z.object({ desks: z.array(DeskRecord) });
export type DeskList = z.infer<typeof DeskList>;

export const DeskIdParams = z.object({ deskId: DeskId });

// POST /desks/:deskId/revoke (admin). Revoking a revoked desk again changes only the reason and the decision.
export const RevokeDeskRequest = z.object({
  /** Why, for the record; keep personal data out of it. */
  reason: z.string().trim().min(1).max(500),
  unsent: UnsentDecision.default('hold'),
});
export type RevokeDeskRequest = z.input<typeof RevokeDeskRequest>;

// GET /desks/:deskId/revocation (public): what a desk asks when it starts, before anyone signs in.
// A desk id is a random UUID only its own cache holds, so the answer tells a stranger nothing.
export const DeskRevocationStatus = z.object({
  revoked: z.boolean(),
  /** Set when revoked: what to do with the unsent work. */
  unsent: UnsentDecision.nullable(),
});
export type DeskRevocationStatus = z.infer<typeof DeskRevocationStatus>;
