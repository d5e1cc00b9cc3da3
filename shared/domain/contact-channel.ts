// The contact channel of a card and of the outcome recorded on it, decided once for the desk
// backend (which applies the channel's contact policy) and the renderer (which records it):
// an outbound call is outbound, anything at the store counter is a store contact, the rest hotline.
import type { Role } from '../contract/central-api';
import type { ContactChannel } from '../contract/outcomes';
import type { CardPurpose } from '../contract/card-view-audit';

export function contactChannel(purpose: CardPurpose, role: Role | undefined): ContactChannel {
  if (purpose === 'outbound') return 'outbound';
  return role === 'store' ? 'store' : 'hotline';
}
