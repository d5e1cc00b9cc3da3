// The contact policy: which eligible offers may not be made on this contact, and why. Reads the
// customer's synced contact history (every desk) and this desk's own recent outcomes (not yet
// synced back), whichever is newer.
import { DAY_MS } from '../domain/operator-time';
import type { CardOutcome } from '../contract/desk-api';
import type { ContactHistory, Offer, Reason } from '../contract/entities';
import type { ContactChannel, OutcomeResult } from '../contract/outcomes';
import type { EligibilityFacts } from './eligibility-facts';

export interface OfferContacts {
  /** Epoch ms of the newest presentation (accepted, declined or callback). */
  lastPresentedAt: number;
  /** Epoch ms of the newest acceptance, null if never accepted. */
  lastAcceptedAt: number | null;
}

/** Per offer id: when it was last presented to and accepted by this customer. */
export type ContactLog = ReadonlyMap<string, OfferContacts>;

function record(log: Map<string, OfferContacts>, offerId: string | null, result: OutcomeResult, at: string): void {
  if (offerId === null || result === 'not_presented') return;
  const ms = Date.parse(at);
  const entry = log.get(offerId);
  const accepted = result === 'accepted' ? ms : null;
  if (entry === undefined) {
    log.set(offerId, { lastPresentedAt: ms, lastAcceptedAt: accepted });
    return;
  }
  entry.lastPresentedAt = Math.max(entry.lastPresentedAt, ms);
  if (accepted !== null) entry.lastAcceptedAt = Math.max(entry.lastAcceptedAt ?? accepted, accepted);
}

export function contactLog(history: ContactHistory | null, recentOutcomes: readonly CardOutcome[]): ContactLog {
  const log = new Map<string, OfferContacts>();
  for (const contact of history?.contacts ?? []) record(log, contact.offerId, contact.result, contact.at);
  for (const outcome of recentOutcomes) record(log, outcome.offerId, outcome.result, outcome.recordedAt);
  return log;
}

export type PolicyFacts = Pick<EligibilityFacts, 'marketingConsent' | 'doNotDisturb'>;

/**
 * Why the offer may not be made on this contact, or null when it may. A prospect (no consent on
 * file) who calls in may hear marketing offers, having asked; an outbound call needs consent.
 */
export function contactPolicyBlock(offer: Offer, facts: PolicyFacts, channel: ContactChannel, log: ContactLog, now: Date): Reason | null {
  const policy = offer.contactPolicy;
  if (facts.doNotDisturb === true && (channel === 'outbound' || !policy.allowedWhenDoNotDisturb)) {
    return { code: 'do_not_disturb', params: { channel } };
  }
  if (policy.requiresMarketingConsent && (facts.marketingConsent === false || (facts.marketingConsent === null && channel === 'outbound'))) {
    return { code: 'no_marketing_consent', params: {} };
  }
  const contacts = log.get(offer.id);
  if (contacts === undefined || policy.cooldownDays === 0) return null;
  const daysSince = (ms: number) => Math.floor((now.getTime() - ms) / DAY_MS);
  const withinCooldown = (ms: number) => now.getTime() - ms < policy.cooldownDays * DAY_MS;
  if (contacts.lastAcceptedAt !== null && withinCooldown(contacts.lastAcceptedAt)) {
    return { code: 'offer_already_accepted', params: { days: daysSince(contacts.lastAcceptedAt), cooldownDays: policy.cooldownDays } };
  }
  if (withinCooldown(contacts.lastPresentedAt)) {
    return { code: 'contact_cooldown', params: { days: daysSince(contacts.lastPresentedAt), cooldownDays: policy.cooldownDays } };
  }
  return null;
}
