// Who is in a retention programme's control group. Pure and deterministic: a salted hash of the
// customer id and the programme, so every desk and the server agree without asking each other, a
// customer stays in the same group for the programme's life, and the split is decided before any
// contact. The ethical limits are applied on top: a customer with a recent complaint or a network
// fault (as configured) is never held out, and is released as soon as one is logged.
import type { Customer, Offer } from '../contract/entities';
import type { HoldOutExemption, ProgrammeArm, RetentionProgramme } from '../contract/retention-programmes';
import { uniformFromString } from '../offers/exploration-seed';

/** The customer counter each exemption reads (also what the server's SQL reads, see server/outbound). */
export const EXEMPTION_COUNTERS: Record<HoldOutExemption, 'complaints30d' | 'networkIssues90d'> = {
  recent_complaint: 'complaints30d',
  network_fault: 'networkIssues90d',
};

export type HoldOutSubject = Pick<Customer, 'id' | 'complaints30d' | 'networkIssues90d'>;

/** A uniform number in [0, 1) fixed by the programme's salt and the customer id. */
export function controlDraw(customerId: string, programme: Pick<RetentionProgramme, 'id' | 'salt'>): number {
  return uniformFromString(`${programme.salt ?? programme.id}\u0000${customerId}`);
}

/** The group the draw puts the customer in, before the ethical limits. */
export function assignedArm(customerId: string, programme: Pick<RetentionProgramme, 'id' | 'salt' | 'controlShare'>): ProgrammeArm {
  return controlDraw(customerId, programme) < programme.controlShare ? 'control' : 'treated';
}

/** The first configured limit the customer meets (they may not be held out), or null. */
export function holdOutExemption(customer: HoldOutSubject, programme: Pick<RetentionProgramme, 'neverHoldOut'>): HoldOutExemption | null {
  return programme.neverHoldOut.find((exemption) => customer[EXEMPTION_COUNTERS[exemption]] > 0) ?? null;
}

/** In the control group and not protected by an ethical limit: the programme's offers are not made. */
export function isHeldOut(customer: HoldOutSubject, programme: RetentionProgramme): boolean {
  return assignedArm(customer.id, programme) === 'control' && holdOutExemption(customer, programme) === null;
}

/** The offers the customer may be made: those of programmes holding them out are left out. */
export function offersNotHeldOut(offers: readonly Offer[], customer: HoldOutSubject | null): readonly Offer[] {
  if (customer === null || !offers.some((o) => o.programme != null)) return offers;
  return offers.filter((offer) => offer.programme == null || !isHeldOut(customer, offer.programme));
}

export interface ProgrammeOffers {
  programme: RetentionProgramme;
  offerIds: string[];
}

/** The catalogue's programmes by id, each with its offers (sorted by programme id, offers by id). */
export function programmesOf(offers: readonly Pick<Offer, 'id' | 'programme'>[]): ProgrammeOffers[] {
  const byId = new Map<string, ProgrammeOffers>();
  for (const offer of [...offers].sort((a, b) => a.id.localeCompare(b.id))) {
    if (offer.programme == null) continue;
    const entry = byId.get(offer.programme.id) ?? { programme: offer.programme, offerIds: [] };
    entry.offerIds.push(offer.id);
    byId.set(offer.programme.id, entry);
  }
  return [...byId.values()].sort((a, b) => a.programme.id.localeCompare(b.programme.id));
}
