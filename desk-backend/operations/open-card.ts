import { v7 as uuidv7 } from 'uuid';
import type { CardPurpose } from '../../shared/contract/card-view-audit';
import type { CustomerCard } from '../../shared/contract/desk-api';
import { contactChannel } from '../../shared/domain/contact-channel';
import { normalizeMobile } from '../../shared/domain/phone';
import type { AuditOutbox } from '../../db/outbox/audit-outbox';
import { endOfOperatorDay } from '../../db/replica/scope-cache';
import { CentralApiError } from '../central-api/central-api-client';
import { DeskError } from '../desk-failure';
import type { SessionHolder } from '../session-holder';
import type { CardCompanion, DeskContext, OpenCard } from './desk-context';

/**
 * Opens a card for the logged-in user and, unless it is a refresh of a card already on screen,
 * queues the audit row of who looked at whom, when and why, in the same call. A companion's write
 * (a ringing call's open interaction) shares the audit row's transaction: one commit for both,
 * which the screen pop waits for. A refresh records nothing, companion included. The callId comes
 * normalised by the card openers (null: no call).
 */
export function createCardOpener(sessions: SessionHolder, auditOutbox: AuditOutbox, now: () => Date): OpenCard {
  return (purpose, callId, build, companion) => {
    const { session } = sessions.require();
    const at = now();
    const card = build({ channel: contactChannel(purpose, session.role), callId }, at);
    if (card === null) throw new DeskError('not_found', 'no such customer in the local cache');
    if (purpose === 'refresh') return card;
    const audit = {
      viewId: uuidv7({ msecs: at.getTime() }),
      agentId: session.agentId,
      customerId: card.customer?.id ?? null,
      phoneMasked: card.phoneMasked === '' ? null : card.phoneMasked,
      purpose,
      callId,
      viewedAt: at.toISOString(),
    };
    if (companion === undefined) auditOutbox.record(audit);
    else auditOutbox.recordWith(audit, () => companion.write(card), companion.failed);
    // Not kicked: the upload timer sends audit rows within a second, in batches, and an upload
    // started here would compete with painting this very card (measured: +7 ms per screen pop).
    return card;
  };
}

/** Said instead of "no such customer" when the number may be a customer outside this desk's cache scope and the central API cannot be asked. */
export const OFFLINE_MISS_MESSAGE =
  'this number is not in this desk’s cache and the central API cannot be reached: whether it is a customer is unknown until the desk is back online';

/** Said instead of "no such customer" when a card opened by customer id is not cached and the central API cannot be asked. */
export const OFFLINE_CUSTOMER_MISS_MESSAGE =
  'this customer is not in this desk’s cache and the central API cannot be reached: their card opens once the desk is back online';

/** Said instead of "no such customer in the local cache" when the central API was asked too and answered 404. */
export const NOT_FOUND_ON_SERVER_MESSAGE = 'this customer is not in this desk’s cache and the central API has no such customer either';

/** The card the desk cache does not hold: the customer a phone number belongs to, or a customer by id. */
type ServerCardKey = { phone: string } | { customerId: string };

/** The phone and customer-id card openers, sharing one central-API fetch for a card the cache scope may not hold. */
export interface CardOpeners {
  byPhone(phone: string, callId: string | null, purpose: CardPurpose, companion?: CardCompanion): Promise<CustomerCard>;
  byCustomer(customerId: string, callId: string | null, purpose: CardPurpose): Promise<CustomerCard>;
}

/**
 * Opens cards by phone number (a look-up and a ringing call alike) and by customer id (a counter
 * search, the outbound queue): from the cache, or from the central API when the desk's cache scope
 * may not hold them (offline, that miss is a DeskError). The companion is written only with a cached
 * card's audit row (the central API stores its own audit): a caller that gave one learns from its
 * write whether it ran.
 */
export function createCardOpeners({ now, stores, sessions, openCard }: Pick<DeskContext, 'now' | 'stores' | 'sessions' | 'openCard'>): CardOpeners {
  const { cardQuery } = stores;
  const { scope, syncState } = stores.sync;

  /**
   * The card from the central API (GET /cards/by-phone/:phone or /cards/by-customer/:customerId,
   * which store the card-view audit themselves), with the customer cached for the rest of the
   * operator's day; null when the book has no such customer.
   */
  async function serverCard(by: ServerCardKey, purpose: Exclude<CardPurpose, 'refresh'>, callId: string | null): Promise<CustomerCard | null> {
    const { runtime } = sessions.require();
    const at = now();
    const query = { purpose, ...(callId === null ? {} : { callId }), viewId: uuidv7({ msecs: at.getTime() }), deviceId: syncState.deviceId() };
    try {
      const answer = await ('phone' in by ? runtime.api.cardByPhone(by.phone, query) : runtime.api.cardByCustomer(by.customerId, query));
      scope.keepVisitor(answer.rows, endOfOperatorDay(at));
      return { ...answer.card, source: 'server' };
    } catch (error) {
      if (error instanceof CentralApiError && error.status === 404) return null;
      const unreachable = error instanceof CentralApiError && (error.kind === 'offline' || (error.status ?? 0) >= 500);
      if (unreachable) throw new DeskError('offline_miss', 'phone' in by ? OFFLINE_MISS_MESSAGE : OFFLINE_CUSTOMER_MISS_MESSAGE);
      throw error;
    }
  }

  // The contract lets an empty callId through; it means "no call".
  const noCallIfEmpty = (callId: string | null) => (callId === '' ? null : callId);

  return {
    async byPhone(phone, givenCallId, purpose, companion) {
      const callId = noCallIfEmpty(givenCallId);
      const fromCache = () => openCard(purpose, callId, (view, at) => cardQuery.cardByPhone(phone, at, view), companion);
      const mobile = normalizeMobile(phone);
      // A refresh repaints a card already shown; a whole-book cache that misses a number knows it is a prospect.
      if (mobile === null || purpose === 'refresh' || !scope.mayMiss() || scope.holdsPhone(mobile)) return fromCache();
      return (await serverCard({ phone: mobile }, purpose, callId)) ?? fromCache();
    },
    async byCustomer(customerId, givenCallId, purpose) {
      const callId = noCallIfEmpty(givenCallId);
      const fromCache = () => openCard(purpose, callId, (view, at) => cardQuery.cardByCustomer(customerId, at, view));
      // A whole-book cache that does not hold the id knows there is no such customer.
      if (purpose === 'refresh' || !scope.mayMiss() || scope.holdsCustomer(customerId)) return fromCache();
      const card = await serverCard({ customerId }, purpose, callId);
      if (card === null) throw new DeskError('not_found_on_server', NOT_FOUND_ON_SERVER_MESSAGE);
      return card;
    },
  };
}
