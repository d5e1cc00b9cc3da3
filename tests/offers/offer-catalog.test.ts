import { describe, expect, it } from 'vitest';
import { OfferCatalogError, parseOfferCatalog, parseOfferCatalogs } from '../../shared/offers/offer-catalog';
import { offer } from './fixtures';

const catalogOffer = (id: string, overrides: Record<string, unknown> = {}) => {
  const { version: _version, ...rest } = offer(id);
  return { ...rest, ...overrides };
};
const file = (...offers: unknown[]) => ({ catalogVersion: '2026-11 test', offers });

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(OfferCatalogError);
    return (error as OfferCatalogError).problems;
  }
  throw new Error('expected the catalogue to be rejected');
}

describe('parseOfferCatalog', () => {
  it('returns the offers of a sound file', () => {
    const offers = parseOfferCatalog(file(catalogOffer('a'), catalogOffer('b', { experiment: { id: 'x', arm: 'champion' } })), 'retention.json');
    expect(offers.map((o) => o.id)).toEqual(['a', 'b']);
  });

  it('lists every problem with its file and path: shape, rule meaning, dates, fulfilment, duplicates, champions', () => {
    const json = file(
      catalogOffer('shape', { valueYuan: -5, version: 3 }),
      catalogOffer('rule', { eligibility: { all: [{ field: 'stage', op: 'gte', value: 'C' }] } }),
      catalogOffer('dates', { validFrom: '2026-12-01', validTo: '2026-11-01', fulfilment: { action: 'plan_change', planCode: null } }),
      catalogOffer('rule'),
      catalogOffer('x1', { experiment: { id: 'exp', arm: 'challenger' } }),
    );
    const problems = problemsOf(() => parseOfferCatalog(json, 'retention.json'));
    expect(problems).toEqual([
      expect.stringMatching(/^retention\.json: offers\[0\] \(shape\): valueYuan: .*>=0/),
      'retention.json: offers[0] (shape): Unrecognized key: "version"',
      "retention.json: offers[1] (rule): eligibility.all[0]: 'gte' compares numbers, but 'stage' is not numeric",
      'retention.json: offers[2] (dates): validTo: ends (2026-11-01) before it starts (2026-12-01)',
      'retention.json: offers[2] (dates): fulfilment.planCode: a plan_change names the planCode it moves to, and only a plan_change has one',
      'retention.json: offers[3] (rule): id: duplicate offer id, first defined at retention.json: offers[1] (rule)',
      "retention.json: offers[4] (x1): experiment 'exp' needs exactly one champion, has 0",
    ]);
    expect(() => parseOfferCatalog(json, 'retention.json')).toThrow(/offer catalogue rejected, 7 problems:\n {2}- retention\.json: offers\[0\]/);
  });

  it('rejects what is not a catalogue at all, naming the file', () => {
    expect(problemsOf(() => parseOfferCatalog('not json object', 'care.json'))).toEqual([expect.stringMatching(/^care\.json: \(file\): /)]);
    expect(problemsOf(() => parseOfferCatalog({ catalogVersion: 'v', offers: [] }, 'care.json'))).toEqual([expect.stringMatching(/^care\.json: offers: /)]);
  });

  it('checks duplicate ids and champions across files', () => {
    const problems = problemsOf(() =>
      parseOfferCatalogs([
        { json: file(catalogOffer('a', { experiment: { id: 'exp', arm: 'champion' } })), source: 'one.json' },
        { json: file(catalogOffer('a'), catalogOffer('b', { experiment: { id: 'exp', arm: 'champion' } })), source: 'two.json' },
      ]),
    );
    expect(problems).toEqual([
      'two.json: offers[0] (a): id: duplicate offer id, first defined at one.json: offers[0] (a)',
      "one.json: offers[0] (a): experiment 'exp' needs exactly one champion, has 2 (a, b)",
    ]);
  });
});
