// Stratified hold-out split and k-fold assignment: each part keeps the churn rate of the whole,
// which matters when positives are a few hundred rows.
import { seededRandom, shuffleInPlace } from './random';

function indicesByClass(labels: Uint8Array): [Uint32Array, Uint32Array] {
  const negatives: number[] = [];
  const positives: number[] = [];
  labels.forEach((label, i) => (label === 1 ? positives : negatives).push(i));
  return [Uint32Array.from(negatives), Uint32Array.from(positives)];
}

export interface TrainTestSplit {
  train: Uint32Array;
  test: Uint32Array;
}

/** Rows go to `test` with probability `testFraction`, per class (rounded), the rest to `train`; both sorted. */
export function stratifiedSplit(labels: Uint8Array, testFraction: number, seed: number): TrainTestSplit {
  const random = seededRandom(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const members of indicesByClass(labels)) {
    shuffleInPlace(members, random);
    const testCount = Math.round(members.length * testFraction);
    members.forEach((row, k) => (k < testCount ? test : train).push(row));
  }
  const sorted = (rows: number[]) => Uint32Array.from(rows).sort();
  return { train: sorted(train), test: sorted(test) };
}

/** The fold (0..folds-1) of every row; each class is dealt round-robin after a seeded shuffle. */
export function stratifiedKFold(labels: Uint8Array, folds: number, seed: number): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`k-fold needs at least 2 folds, got ${folds}`);
  const random = seededRandom(seed);
  const foldOf = new Int32Array(labels.length);
  let dealt = 0;
  for (const members of indicesByClass(labels)) {
    shuffleInPlace(members, random);
    // Continue the deal across classes so fold sizes differ by at most one row overall.
    members.forEach((row) => (foldOf[row] = dealt++ % folds));
  }
  return foldOf;
}

/**
 * The fold of every row, keeping each group's rows (one customer's examples at several months)
 * in one fold, so an out-of-fold estimate never scores a customer it learnt from; groups are
 * stratified by whether any of their rows is positive. With one row per group it is stratifiedKFold.
 */
export function stratifiedGroupKFold(labels: Uint8Array, groups: readonly string[], folds: number, seed: number): Int32Array {
  const groupIndex = new Map<string, number>();
  const groupOfRow = Int32Array.from(groups, (group) => {
    const known = groupIndex.get(group);
    if (known !== undefined) return known;
    groupIndex.set(group, groupIndex.size);
    return groupIndex.size - 1;
  });
  const groupLabels = new Uint8Array(groupIndex.size);
  groupOfRow.forEach((group, row) => (groupLabels[group] = (groupLabels[group] as number) | (labels[row] as number)));
  const foldOfGroup = stratifiedKFold(groupLabels, folds, seed);
  return groupOfRow.map((group) => foldOfGroup[group] as number);
}

/** Rows whose fold is (or is not) `fold`. */
export function foldRows(foldOf: Int32Array, fold: number, inFold: boolean): Uint32Array {
  const rows: number[] = [];
  foldOf.forEach((f, i) => {
    if ((f === fold) === inFold) rows.push(i);
  });
  return Uint32Array.from(rows);
}
