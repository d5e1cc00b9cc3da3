// Deterministic randomness for the demo book: one generator per (seed, index), so customer #i
// can be produced on its own without generating the i-1 before it.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface SeededRandom {
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** Float in [min, max). */
  float(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** Mixes two integers into one 32-bit seed (murmur3 finalizer), so neighbouring indexes diverge. */
function mixSeed(seed: number, index: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ index;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

export function seededRandom(seed: number, index = 0): SeededRandom {
  const rng = xoroshiro128plus(mixSeed(seed, index));
  const random: SeededRandom = {
    int: (min, max) => uniformInt(rng, min, max),
    float: (min, max) => min + uniformFloat64(rng) * (max - min),
    chance: (probability) => uniformFloat64(rng) < probability,
    pick: (items) => {
      const item = items[uniformInt(rng, 0, items.length - 1)];
      if (item === undefined) throw new RangeError('pick() from an empty list');
      return item;
    },
  };
  return random;
}
