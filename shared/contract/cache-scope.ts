// What part of the book a desk caches, and how it asks for the rest. The operator gives a team's
// desks a cache scope (regions plus a hot set the server ranks); the change feed and the snapshot
// carry the key of the scope they were read for, and a desk that holds another one downloads its
// new scope afresh. A customer outside the scope comes from GET /cards/by-phone/:phone (or, opened by
// id, GET /cards/by-customer/:customerId) on a miss.
import { z } from 'zod';
import { CardPurpose } from './card-view-audit';
import { SyncChangesQuery, SyncChangesResponse, SyncSnapshotResponse } from './central-api';
import { CustomerCard } from './desk-api';
import { ContactHistory, Customer, CustomerScore, CustomerUsage } from './entities';

/** The key of a desk that caches the whole book (its team has no cache scope). */
export const WHOLE_BOOK_SCOPE = 'book';

export const ScopeKey = z
  .string()
  .min(1)
  .max(128)
  .meta({ description: 'The cache scope the rows were read for: `book` (the whole book) or `team:<team>:<generation>`.', example: 'team:T1:3' });

export const ScopedSyncChangesQuery = SyncChangesQuery.extend({
  scope: ScopeKey.optional().meta({
    description: 'The scope the desk’s cache holds; when it is not the caller’s scope the page is empty and names the scope to download afresh.',
  }),
});
export const ScopedSyncChangesResponse = SyncChangesResponse.extend({ scope: ScopeKey.optional() });
export type ScopedSyncChangesResponse = z.infer<typeof ScopedSyncChangesResponse>;
export const ScopedSyncSnapshotResponse = SyncSnapshotResponse.extend({ scope: ScopeKey.optional() });
export type ScopedSyncSnapshotResponse = z.infer<typeof ScopedSyncSnapshotResponse>;

// GET /cards/by-phone/:phone?purpose=&callId=&viewId=&deviceId=   (desk roles)
export const CardByPhoneParams = z.object({
  phone: z.string().regex(/^1[3-9]\d{9}$/, 'a mainland mobile number: 11 digits starting with 13-19'),
});
export const CardByPhoneQuery = z.object({
  purpose: CardPurpose.exclude(['refresh']),
  callId: z.string().min(1).max(64).optional(),
  /** The desk's id of this card view: the audit row is stored once however often the request is repeated. */
  viewId: z.uuid({ version: 'v7' }),
  deviceId: z.string().min(1).max(64),
});
export type CardByPhoneQuery = z.infer<typeof CardByPhoneQuery>;

// GET /cards/by-customer/:customerId?purpose=&callId=&viewId=&deviceId=   (desk roles): the same query and
// answer as by-phone, for a card the desk opens by customer id (a counter search, the outbound queue).
export const CardByCustomerParams = z.object({
  customerId: z
    .string()
    .min(1)
    .max(64)
    // PostgreSQL text cannot hold NUL, and no book id holds a control character: refused here, not by the database.
    .regex(/^\P{Cc}+$/u, 'a customer id has no control characters')
    .meta({ description: 'The customer’s id in the book, as the desk contract’s card/byCustomer takes it.', example: 'CUS0000041' }),
});

/** One synced document of the customer, as the change feed would carry it. */
export const CustomerDocument = z.discriminatedUnion('entity', [
  z.object({ entity: z.literal('customer'), data: Customer }),
  z.object({ entity: z.literal('score'), data: CustomerScore }),
  z.object({ entity: z.literal('contact_history'), data: ContactHistory }),
  z.object({ entity: z.literal('usage'), data: CustomerUsage }),
]);
export type CustomerDocument = z.infer<typeof CustomerDocument>;

export const CardByPhoneResponse = z.object({
  /** Built by the same shared code as a card from the desk cache (shared/domain/customer-card.ts), with the same masking. */
  card: CustomerCard,
  /** The synced rows the card was built from (ID number masked unless the role may see it), for the desk to cache for the rest of the day. */
  rows: z.array(CustomerDocument).min(1),
});
export type CardByPhoneResponse = z.infer<typeof CardByPhoneResponse>;
