// Every customer's recent contacts across all desks (newest first), so a desk's contact policy
// sees what another desk did: at most CONTACT_HISTORY_MAX contacts of the last CONTACT_HISTORY_DAYS.
import { DAY_MS } from '../../shared/domain/operator-time';
import { CONTACT_HISTORY_DAYS, CONTACT_HISTORY_MAX, type ContactHistory } from '../../shared/contract/entities';
import type { Outcome } from '../../shared/contract/outcomes';
import type { SqlClient } from '../db/sql-client';
import { lockChangeLogKeys, upsertContactHistories } from '../sync/change-log';

type Contact = ContactHistory['contacts'][number];

// = ANY of an array probes the primary key; an IN over jsonb_array_elements_text was hashed against a scan of every history.
const SELECT_HISTORIES = `SELECT data FROM contact_history WHERE NOT deleted AND customer_id = ANY ($1::text[])`;

const contactOf = (o: Outcome): Contact => ({
  outcomeId: o.outcomeId,
  offerId: o.draft.offerId,
  result: o.draft.result,
  channel: o.draft.channel,
  agentId: o.agentId,
  at: o.recordedAt,
});

// Newest first; UUIDv7 ids are time-ordered, so they break ties of equal timestamps stably.
const newestFirst = (a: Contact, b: Contact) => Date.parse(b.at) - Date.parse(a.at) || (a.outcomeId < b.outcomeId ? 1 : -1);

/** Appends newly stored outcomes to their customers' histories, inside the caller's transaction. */
export async function appendContacts(tx: SqlClient, outcomes: readonly Outcome[], now: Date): Promise<void> {
  const added = new Map<string, Contact[]>();
  for (const outcome of outcomes) {
    const { customerId } = outcome.draft;
    if (customerId !== null) added.set(customerId, [...(added.get(customerId) ?? []), contactOf(outcome)]);
  }
  if (added.size === 0) return;
  await lockChangeLogKeys(tx, 'contact_history', [...added.keys()]);
  const rows = await tx.query<{ data: ContactHistory }>(SELECT_HISTORIES, [[...added.keys()]]);
  const existing = new Map(rows.map((r) => [r.data.customerId, r.data]));
  const oldest = now.getTime() - CONTACT_HISTORY_DAYS * DAY_MS;

  const updated: ContactHistory[] = [];
  for (const [customerId, contacts] of added) {
    const kept = [...contacts, ...(existing.get(customerId)?.contacts ?? [])]
      .filter((c) => Date.parse(c.at) >= oldest)
      .sort(newestFirst)
      .slice(0, CONTACT_HISTORY_MAX);
    // A contact too old (or too far down) to be kept changes nothing: no write, nothing to pull.
    if (!contacts.some((c) => kept.includes(c))) continue;
    updated.push({ customerId, version: existing.get(customerId)?.version ?? 1, contacts: kept });
  }
  await upsertContactHistories(tx, updated);
}
