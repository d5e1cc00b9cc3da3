// Programmes in the offer catalogue: the shipped catalogue has them, and the check refuses a
// programme on a non-retention offer or offers of one programme set differently, naming file and offer.
import { describe, expect, it } from 'vitest';
import { loadOfferCatalog } from '../../server/catalog/load-catalog';
import { parseOfferCatalogs } from '../../shared/offers/offer-catalog';
import { programmesOf } from '../../shared/programmes/control-group';

const shipped = loadOfferCatalog().offers;
const byId = (id: string) => structuredClone(shipped.find((o) => o.id === id)!);

describe('retention programmes in the catalogue', () => {
  it('ships programmes with a control share and the ethical limits on', () => {
    const programmes = programmesOf(shipped.map((o) => ({ ...o, version: 1 })));
    expect(programmes.length).toBeGreaterThan(0);
    for (const { programme, offerIds } of programmes) {
      expect(programme.controlShare).toBeGreaterThanOrEqual(0.05);
      expect(programme.controlShare).toBeLessThanOrEqual(0.1);
      expect(programme.neverHoldOut).toEqual(['recent_complaint', 'network_fault']);
      for (const id of offerIds) expect(byId(id).kind).toBe('retention');
    }
    // A held-out customer still gets a care action: one is meant for every warned customer.
    expect(shipped.some((o) => o.kind === 'care' && JSON.stringify(o.eligibility).includes('warningLevel'))).toBe(true);
  });

  it('refuses a programme on an offer that is not a retention offer', () => {
    const care = { ...byId('OFF-CARE-SERVICE-CHECK'), programme: { id: 'PRG-X', controlShare: 0.1 } };
    expect(() => parseOfferCatalogs([{ json: { catalogVersion: 't', offers: [care] }, source: 'care.json' }])).toThrow(
      /care\.json: offers\[0\] \(OFF-CARE-SERVICE-CHECK\): programme: only retention offers belong to a retention programme/,
    );
  });

  it('refuses offers of one programme that disagree on its control share', () => {
    const a = { ...byId('OFF-D-RETENTION-BONUS-DATA'), programme: { id: 'PRG-X', controlShare: 0.1 } };
    const b = { ...byId('OFF-D-RETENTION-DISCOUNT'), programme: { id: 'PRG-X', controlShare: 0.2 } };
    expect(() => parseOfferCatalogs([{ json: { catalogVersion: 't', offers: [a, b] }, source: 'retention.json' }])).toThrow(
      /retention\.json: offers\[1\] \(OFF-D-RETENTION-DISCOUNT\): programme: programme 'PRG-X' is set differently at retention\.json: offers\[0\]/,
    );
  });

  it('refuses a control share above one half', () => {
    const a = { ...byId('OFF-D-RETENTION-BONUS-DATA'), programme: { id: 'PRG-X', controlShare: 0.6 } };
    expect(() => parseOfferCatalogs([{ json: { catalogVersion: 't', offers: [a] }, source: 'retention.json' }])).toThrow(/programme\.controlShare/);
  });
});
