// Seeded randomness for splits, folds and synthetic data: the same seed gives the same model,
// so a training run can be reproduced and a test can pin its expectations.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface SeededRandom {
  /** Uniform in [0, 1). */
  float(): number;
  /** Uniform integer in [0, below). */
  int(below: number): number;
}

/** Methods on the prototype: the card draws one generator per offer on every ring, so no closures per draw. */
class Xoroshiro128Plus implements SeededRandom {
  readonly #rng: ReturnType<typeof xoroshiro128plus>;

  constructor(seed: number) {
    this.#rng = xoroshiro128plus(seed | 0);
  }

  float(): number {
    return uniformFloat64(this.#rng);
  }

  int(below: number): number {
    return uniformInt(this.#rng, 0, below - 1);
  }
}

export function seededRandom(seed: number): SeededRandom {
  return new Xoroshiro128Plus(seed);
}

/** Fisher–Yates, in place. */
export function shuffleInPlace(values: Uint32Array | number[], random: SeededRandom): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const swap = values[i] as number;
    values[i] = values[j] as number;
    values[j] = swap;
  }
}

/** A standard normal draw (Box–Muller), for synthetic data. */
export function normalDraw(random: SeededRandom): number {
  const u = 1 - random.float();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.float());
}
