// Beta–binomial learning of an offer's acceptance rate: the prior from the catalogue plus the
// outcomes counted per segment give a Beta posterior; the card ranks by a draw from it
// (Thompson sampling) and reports its mean, the supervisor report its interval.
import { normalDraw, type SeededRandom } from '../analytics/random';

export interface BetaParams {
  alpha: number;
  beta: number;
}

export interface AcceptanceCounts {
  presented: number;
  accepted: number;
}

export function betaPosterior(prior: BetaParams, counts: AcceptanceCounts | undefined): BetaParams {
  if (counts === undefined) return prior;
  const { presented, accepted } = counts;
  if (!(Number.isInteger(presented) && Number.isInteger(accepted) && accepted >= 0 && accepted <= presented)) {
    throw new RangeError(`acceptance counts must be whole numbers with 0 <= accepted <= presented, got ${accepted} of ${presented}`);
  }
  return { alpha: prior.alpha + accepted, beta: prior.beta + presented - accepted };
}

export function betaMean(p: BetaParams): number {
  return p.alpha / (p.alpha + p.beta);
}

// Lanczos approximation (g = 7, n = 9), relative error ~1e-15.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

function lnBeta(a: number, b: number): number {
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

const CF_EPSILON = 1e-15;
const CF_TINY = 1e-300;
const CF_MAX_ITERATIONS = 100_000;

/** Continued fraction of the incomplete beta function (modified Lentz), for x < (a+1)/(a+b+2). */
function incompleteBetaFraction(x: number, a: number, b: number): number {
  const guard = (v: number) => (Math.abs(v) < CF_TINY ? CF_TINY : v);
  let c = 1;
  let d = 1 / guard(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m <= CF_MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    const even = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 / guard(1 + even * d);
    c = guard(1 + even / c);
    h *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 / guard(1 + odd * d);
    c = guard(1 + odd / c);
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < CF_EPSILON) return h;
  }
  throw new Error(`incomplete beta did not converge for x=${x}, a=${a}, b=${b}`);
}

/** The Beta(a, b) CDF: the regularized incomplete beta function I_x(a, b). */
export function betaCdf(p: BetaParams, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const { alpha: a, beta: b } = p;
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - lnBeta(a, b));
  return x < (a + 1) / (a + b + 2) ? (front * incompleteBetaFraction(x, a, b)) / a : 1 - (front * incompleteBetaFraction(1 - x, b, a)) / b;
}

const QUANTILE_BISECTIONS = 60;

export function betaQuantile(p: BetaParams, probability: number): number {
  if (!(probability >= 0 && probability <= 1)) throw new RangeError(`a quantile needs a probability in [0, 1], got ${probability}`);
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < QUANTILE_BISECTIONS; i++) {
    const mid = (lo + hi) / 2;
    if (betaCdf(p, mid) < probability) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Equal-tailed credible interval. */
export function betaInterval(p: BetaParams, level = 0.95): [number, number] {
  if (!(level > 0 && level < 1)) throw new RangeError(`a credible level must lie strictly between 0 and 1, got ${level}`);
  const tail = (1 - level) / 2;
  return [betaQuantile(p, tail), betaQuantile(p, 1 - tail)];
}

/** Marsaglia–Tsang; shapes below 1 through the Gamma(shape + 1) · U^(1/shape) boost. */
function sampleGamma(shape: number, random: SeededRandom): number {
  if (shape < 1) return sampleGamma(shape + 1, random) * Math.pow(random.float(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normalDraw(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random.float();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function sampleBeta(p: BetaParams, random: SeededRandom): number {
  const x = sampleGamma(p.alpha, random);
  const y = sampleGamma(p.beta, random);
  return x / (x + y);
}

const GRID_POINTS_PER_PART = 400;
const GRID_TAIL = 1e-9;

/**
 * Integration grid for P(X_b > X_a): uniform over each distribution's central mass (so a narrow
 * posterior is resolved however wide the other is) plus log-spaced points towards 0 and 1 (where a
 * shape below 1 makes the density unbounded).
 */
function integrationGrid(a: BetaParams, b: BetaParams): Float64Array {
  const points: number[] = [0, 1];
  for (const p of [a, b]) {
    const lo = betaQuantile(p, GRID_TAIL);
    const hi = betaQuantile(p, 1 - GRID_TAIL);
    for (let i = 0; i <= GRID_POINTS_PER_PART; i++) points.push(lo + ((hi - lo) * i) / GRID_POINTS_PER_PART);
  }
  const smallest = Math.log(1e-12);
  for (let i = 0; i <= GRID_POINTS_PER_PART; i++) {
    const x = Math.exp(smallest * (1 - i / GRID_POINTS_PER_PART) + Math.log(0.5) * (i / GRID_POINTS_PER_PART));
    points.push(x, 1 - x);
  }
  return Float64Array.from(points).sort();
}

/**
 * P(X_b > X_a) for independent X_a ~ Beta(a), X_b ~ Beta(b): Σ over grid cells of the mass of
 * X_a in the cell times P(X_b above it), with X_b's CDF averaged over the cell (exact where both
 * CDFs are linear within a cell). Well within 1e-4 of the closed form (tests/offers/beta.test.ts).
 */
export function probabilityBeats(a: BetaParams, b: BetaParams): number {
  const grid = integrationGrid(a, b);
  let total = 0;
  let prevA = 0;
  let prevB = 0;
  for (let i = 1; i < grid.length; i++) {
    const x = grid[i]!;
    const cdfA = betaCdf(a, x);
    const cdfB = betaCdf(b, x);
    total += (cdfA - prevA) * (1 - (prevB + cdfB) / 2);
    prevA = cdfA;
    prevB = cdfB;
  }
  return Math.min(1, Math.max(0, total));
}
