import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/analytics/random';
import { betaCdf, betaInterval, betaMean, betaPosterior, betaQuantile, probabilityBeats, sampleBeta, type BetaParams } from '../../shared/offers/beta';
import { experimentResults } from '../../shared/offers/experiment-results';
import { offer, stats } from './fixtures';

const lnFactorial = (n: number) => {
  let sum = 0;
  for (let k = 2; k <= n; k++) sum += Math.log(k);
  return sum;
};
/** ln B(a, b) for whole a, b. */
const lnBetaInt = (a: number, b: number) => lnFactorial(a - 1) + lnFactorial(b - 1) - lnFactorial(a + b - 1);

/** I_x(a, b) for whole a, b: P(Binomial(a + b − 1, x) ≥ a). */
function binomialTail(x: number, a: number, b: number): number {
  const n = a + b - 1;
  let sum = 0;
  for (let k = a; k <= n; k++) sum += Math.exp(lnFactorial(n) - lnFactorial(k) - lnFactorial(n - k) + k * Math.log(x) + (n - k) * Math.log1p(-x));
  return sum;
}

/** The closed form of P(X_b > X_a) for whole b.alpha (Evan Miller, "Formulas for Bayesian A/B testing"). */
function closedFormBeats(a: BetaParams, b: BetaParams): number {
  let total = 0;
  for (let i = 0; i < b.alpha; i++) {
    total += Math.exp(lnBetaInt(a.alpha + i, a.beta + b.beta) - Math.log(b.beta + i) - lnBetaInt(1 + i, b.beta) - lnBetaInt(a.alpha, a.beta));
  }
  return total;
}

function monteCarloBeats(a: BetaParams, b: BetaParams, draws: number, seed: number): number {
  const random = seededRandom(seed);
  let wins = 0;
  for (let i = 0; i < draws; i++) if (sampleBeta(b, random) > sampleBeta(a, random)) wins++;
  return wins / draws;
}

describe('beta posterior', () => {
  it('adds accepts to alpha and declines to beta', () => {
    expect(betaPosterior({ alpha: 2, beta: 8 }, { presented: 10, accepted: 3 })).toEqual({ alpha: 5, beta: 15 });
    expect(betaPosterior({ alpha: 2, beta: 8 }, undefined)).toEqual({ alpha: 2, beta: 8 });
    expect(betaMean({ alpha: 2, beta: 8 })).toBe(0.2);
  });
  it('rejects impossible counts with a clear error', () => {
    expect(() => betaPosterior({ alpha: 1, beta: 1 }, { presented: 3, accepted: 4 })).toThrow(/0 <= accepted <= presented, got 4 of 3/);
    expect(() => betaPosterior({ alpha: 1, beta: 1 }, { presented: 2.5, accepted: 1 })).toThrow(RangeError);
  });
});

describe('beta CDF and interval', () => {
  it.each([
    [0.3, 3, 7],
    [0.05, 2, 40],
    [0.9, 12, 2],
    [0.31, 300, 700],
  ])('I_%s(%s, %s) matches the binomial tail', (x, a, b) => {
    expect(betaCdf({ alpha: a, beta: b }, x)).toBeCloseTo(binomialTail(x, a, b), 10);
  });
  it('gives the known intervals of closed-form CDFs', () => {
    const [lo, hi] = betaInterval({ alpha: 1, beta: 1 });
    expect(lo).toBeCloseTo(0.025, 10);
    expect(hi).toBeCloseTo(0.975, 10);
    // Beta(2, 1) has CDF x², Beta(1, 4) has CDF 1 − (1 − x)⁴.
    expect(betaInterval({ alpha: 2, beta: 1 })).toEqual([expect.closeTo(Math.sqrt(0.025), 10), expect.closeTo(Math.sqrt(0.975), 10)]);
    expect(betaInterval({ alpha: 1, beta: 4 }, 0.9)).toEqual([expect.closeTo(1 - 0.95 ** 0.25, 10), expect.closeTo(1 - 0.05 ** 0.25, 10)]);
  });
  it('is symmetric for a symmetric Beta and near-normal for large counts', () => {
    const [lo, hi] = betaInterval({ alpha: 5, beta: 5 });
    expect(lo + hi).toBeCloseTo(1, 10);
    const p = { alpha: 3001, beta: 7001 };
    const sd = Math.sqrt((p.alpha * p.beta) / ((p.alpha + p.beta) ** 2 * (p.alpha + p.beta + 1)));
    const [l, h] = betaInterval(p);
    expect(l).toBeCloseTo(betaMean(p) - 1.959964 * sd, 4);
    expect(h).toBeCloseTo(betaMean(p) + 1.959964 * sd, 4);
  });
  it('rejects a level or probability outside (0, 1)', () => {
    expect(() => betaInterval({ alpha: 1, beta: 1 }, 1)).toThrow(/strictly between 0 and 1/);
    expect(() => betaQuantile({ alpha: 1, beta: 1 }, -0.1)).toThrow(/probability in \[0, 1\]/);
  });
});

describe('sampleBeta', () => {
  it.each([[{ alpha: 3, beta: 7 }], [{ alpha: 0.5, beta: 0.5 }], [{ alpha: 40, beta: 160 }]])('draws with the mean and variance of %o', (p) => {
    const random = seededRandom(7);
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const x = sampleBeta(p, random);
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    const s = p.alpha + p.beta;
    expect(mean).toBeCloseTo(p.alpha / s, 2);
    expect(variance).toBeCloseTo((p.alpha * p.beta) / (s * s * (s + 1)), 3);
  });
});

describe('probabilityBeats', () => {
  it.each([
    [
      { alpha: 1, beta: 1 },
      { alpha: 2, beta: 1 },
    ],
    [
      { alpha: 31, beta: 71 },
      { alpha: 19, beta: 83 },
    ],
    [
      { alpha: 3, beta: 7 },
      { alpha: 5, beta: 6 },
    ],
    [
      { alpha: 601, beta: 1401 },
      { alpha: 641, beta: 1361 },
    ],
    [
      { alpha: 2, beta: 500 },
      { alpha: 1, beta: 20 },
    ],
    [
      { alpha: 4, beta: 2 },
      { alpha: 200, beta: 300 },
    ],
  ])('matches the closed form to 1e-4: a=%o b=%o', (a, b) => {
    expect(Math.abs(probabilityBeats(a, b) - closedFormBeats(a, b))).toBeLessThan(1e-4);
  });
  it.each([
    [
      { alpha: 0.5, beta: 0.5 },
      { alpha: 0.7, beta: 1.3 },
    ],
    [
      { alpha: 2.5, beta: 30.5 },
      { alpha: 0.5, beta: 3 },
    ],
    [
      { alpha: 12.2, beta: 30.1 },
      { alpha: 9.7, beta: 20.4 },
    ],
  ])('matches Monte Carlo for non-integer shapes: a=%o b=%o', (a, b) => {
    // 400k draws: standard error ≤ 0.0008.
    expect(probabilityBeats(a, b)).toBeCloseTo(monteCarloBeats(a, b, 400_000, 11), 2);
  });
  it('is one half against itself and complementary when swapped', () => {
    const a = { alpha: 7, beta: 13 };
    const b = { alpha: 9.5, beta: 11 };
    expect(probabilityBeats(a, a)).toBeCloseTo(0.5, 5);
    expect(probabilityBeats(a, b) + probabilityBeats(b, a)).toBeCloseTo(1, 5);
  });
});

describe('experimentResults', () => {
  it('compares each challenger with its champion, counts summed over segments', () => {
    const champion = offer('retain-a', { priorAcceptance: { alpha: 1, beta: 1 }, experiment: { id: 'retain-wave', arm: 'champion' } });
    const weak = offer('retain-c', { priorAcceptance: { alpha: 1, beta: 1 }, experiment: { id: 'retain-wave', arm: 'challenger' } });
    const strong = offer('retain-b', { priorAcceptance: { alpha: 1, beta: 1 }, experiment: { id: 'retain-wave', arm: 'challenger' } });
    const other = offer('care', { experiment: { id: 'care-wave', arm: 'champion' } });
    const statsById = new Map([
      ['retain-a', stats('retain-a', { 'D/gold': { presented: 80, accepted: 16 }, 'D/silver': { presented: 20, accepted: 4 } })],
      ['retain-b', stats('retain-b', { 'D/gold': { presented: 100, accepted: 35 } })],
      ['retain-c', stats('retain-c', { 'D/gold': { presented: 50, accepted: 5 } })],
    ]);
    const [care, wave] = experimentResults([offer('plain'), weak, champion, strong, other], statsById);

    expect(care).toMatchObject({ experimentId: 'care-wave', champion: { offerId: 'care', presented: 0, accepted: 0, rate: 0.25 }, challengers: [] });
    expect(wave!.experimentId).toBe('retain-wave');
    expect(wave!.champion).toMatchObject({ offerId: 'retain-a', presented: 100, accepted: 20, rate: 21 / 102 });
    expect(wave!.champion.interval).toEqual(betaInterval({ alpha: 21, beta: 81 }));
    expect(wave!.challengers.map((c) => c.offerId)).toEqual(['retain-b', 'retain-c']);
    const [b, c] = wave!.challengers;
    expect(b).toMatchObject({ presented: 100, accepted: 35, rate: 36 / 102 });
    expect(b!.probabilityBeatsChampion).toBeCloseTo(closedFormBeats({ alpha: 21, beta: 81 }, { alpha: 36, beta: 66 }), 4);
    expect(b!.probabilityBeatsChampion).toBeGreaterThan(0.99);
    expect(c!.probabilityBeatsChampion).toBeCloseTo(closedFormBeats({ alpha: 21, beta: 81 }, { alpha: 6, beta: 46 }), 4);
    expect(c!.probabilityBeatsChampion).toBeLessThan(0.1);
  });
  it('leaves out an experiment without exactly one champion', () => {
    const lone = offer('x', { experiment: { id: 'orphan', arm: 'challenger' } });
    expect(experimentResults([lone], new Map())).toEqual([]);
  });
});
