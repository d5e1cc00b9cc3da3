// One rule for the contact channel, used by the desk backend (contact policy) and the renderer
// (the outcome's channel): they disagreed for a search made by someone who is not at a counter.
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../shared/contract/central-api';
import { CARD_PURPOSES } from '../../shared/contract/card-view-audit';
import { contactChannel } from '../../shared/domain/contact-channel';

describe('contact channel', () => {
  it('is outbound for an outbound call, store for the store role, hotline otherwise', () => {
    const table = Object.fromEntries(ROLES.map((role) => [role, Object.fromEntries(CARD_PURPOSES.map((purpose) => [purpose, contactChannel(purpose, role)]))]));
    expect(table.store).toEqual({ call: 'store', lookup: 'store', search: 'store', outbound: 'outbound', refresh: 'store' });
    expect(table.agent).toEqual({ call: 'hotline', lookup: 'hotline', search: 'hotline', outbound: 'outbound', refresh: 'hotline' });
    expect(table.supervisor).toEqual(table.agent);
  });
});
