// Control-group membership: a pure, salted hash of customer id and programme, about the configured
// share over many customers, the same on every call, and never holding out a customer with a
// recent complaint or a network fault (unless the programme's configuration says otherwise).
import { describe, expect, it } from 'vitest';
import { RetentionProgramme } from '../../shared/contract/retention-programmes';
import { assignedArm, controlDraw, holdOutExemption, isHeldOut, offersNotHeldOut, programmesOf } from '../../shared/programmes/control-group';
import { customer, offer } from '../offers/fixtures';

const programme = RetentionProgramme.parse({ id: 'PRG-TEST', controlShare: 0.1 });
const ids = Array.from({ length: 20_000 }, (_, i) => `CUS${String(i).padStart(7, '0')}`);
/** The first customer id the draw puts in the control group. */
const controlId = ids.find((id) => assignedArm(id, programme) === 'control')!;
const treatedId = ids.find((id) => assignedArm(id, programme) === 'treated')!;

describe('control-group membership', () => {
  it('is the same for the same customer and programme, every time', () => {
    for (const id of ids.slice(0, 200))
      expect(assignedArm(id, programme)).toBe(assignedArm(id, RetentionProgramme.parse({ id: 'PRG-TEST', controlShare: 0.1 })));
    expect(controlDraw('CUS0000001', programme)).toBe(controlDraw('CUS0000001', programme));
  });

  it('holds out about the configured share of many customers', () => {
    for (const controlShare of [0.05, 0.1]) {
      const share = ids.filter((id) => assignedArm(id, { ...programme, controlShare }) === 'control').length / ids.length;
      // 20,000 draws: the standard error at 10 % is 0.2 points; 1 point is five of them.
      expect(Math.abs(share - controlShare)).toBeLessThan(0.01);
    }
  });

  it('draws each programme (salt) independently', () => {
    const other = { ...programme, id: 'PRG-OTHER' };
    const both = ids.filter((id) => assignedArm(id, programme) === 'control' && assignedArm(id, other) === 'control').length / ids.length;
    expect(Math.abs(both - 0.01)).toBeLessThan(0.004);
    const salted = { ...programme, salt: 'wave-2' };
    expect(ids.filter((id) => assignedArm(id, salted) !== assignedArm(id, programme)).length).toBeGreaterThan(1000);
  });

  it('never holds out a customer with a recent complaint or a network fault', () => {
    expect(isHeldOut(customer({ id: controlId }), programme)).toBe(true);
    expect(isHeldOut(customer({ id: controlId, complaints30d: 1 }), programme)).toBe(false);
    expect(isHeldOut(customer({ id: controlId, networkIssues90d: 2 }), programme)).toBe(false);
    expect(holdOutExemption(customer({ id: controlId, complaints30d: 1, networkIssues90d: 1 }), programme)).toBe('recent_complaint');
    // Over the whole population: nobody with a grievance is ever held out.
    for (const id of ids) expect(isHeldOut(customer({ id, complaints30d: 1 }), programme)).toBe(false);
  });

  it('applies only the ethical limits the programme configures', () => {
    const faultsOnly = RetentionProgramme.parse({ id: 'PRG-TEST', controlShare: 0.1, neverHoldOut: ['network_fault'] });
    expect(isHeldOut(customer({ id: controlId, complaints30d: 1 }), faultsOnly)).toBe(true);
    expect(isHeldOut(customer({ id: controlId, networkIssues90d: 1 }), faultsOnly)).toBe(false);
    expect(isHeldOut(customer({ id: treatedId }), programme)).toBe(false);
  });
});

describe('offers a customer may be made', () => {
  const offers = [offer('RET-A', { kind: 'retention', programme }), offer('RET-B', { kind: 'retention', programme: null }), offer('CARE', { kind: 'care' })];

  it("leaves out the programme's offers for a held-out customer and keeps the rest", () => {
    expect(offersNotHeldOut(offers, customer({ id: controlId })).map((o) => o.id)).toEqual(['RET-B', 'CARE']);
    expect(offersNotHeldOut(offers, customer({ id: controlId, complaints30d: 1 })).map((o) => o.id)).toEqual(['RET-A', 'RET-B', 'CARE']);
    expect(offersNotHeldOut(offers, customer({ id: treatedId })).map((o) => o.id)).toEqual(['RET-A', 'RET-B', 'CARE']);
    expect(offersNotHeldOut(offers, null)).toBe(offers);
  });

  it('groups the catalogue into programmes', () => {
    expect(programmesOf(offers)).toEqual([{ programme, offerIds: ['RET-A'] }]);
  });
});
