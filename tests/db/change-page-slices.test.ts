// A downloaded change page is written in slices that each end on a whole seq, so every slice's
// cursor is safe to keep if the desk stops after it.
import { describe, expect, it } from 'vitest';
import type { SyncChange, SyncChangesResponse } from '../../shared/contract/central-api';
import { changePageSlices } from '../../db/replica/change-page-slices';

const change = (seq: number, id: string): SyncChange => ({ seq, op: 'delete', entity: 'customer', id, version: 1 });
const page = (seqs: number[], hasMore: boolean): SyncChangesResponse => ({
  changes: seqs.map((seq, index) => change(seq, `c${index}`)),
  nextCursor: seqs.at(-1) ?? 0,
  hasMore,
});

describe('change page slices', () => {
  it('cuts on whole seqs: the rows of one seq stay in one slice, each slice ending at its last seq', () => {
    const slices = changePageSlices(page([1, 2, 3, 3, 3, 4, 5, 6, 7], true), 3);
    expect(slices.map((slice) => slice.changes.map((c) => c.seq))).toEqual([[1, 2, 3, 3, 3], [4, 5, 6], [7]]);
    expect(slices.map((slice) => [slice.nextCursor, slice.hasMore])).toEqual([
      [3, true],
      [6, true],
      [7, true],
    ]);
  });

  it('keeps the page’s own cursor and hasMore on its last slice, and every change once, in order', () => {
    const whole = { ...page([5, 6, 7, 8, 9], false), nextCursor: 12 };
    const slices = changePageSlices(whole, 2);
    expect(slices.flatMap((slice) => slice.changes)).toEqual(whole.changes);
    expect(slices.at(-1)).toMatchObject({ nextCursor: 12, hasMore: false });
  });

  it('leaves a page within the slice size, or an empty one, whole', () => {
    const small = page([1, 2], true);
    expect(changePageSlices(small, 2)).toEqual([small]);
    const empty = page([], false);
    expect(changePageSlices(empty, 2)).toEqual([empty]);
  });

  it('does not end a slice on a seq that runs to the end of the page', () => {
    expect(changePageSlices(page([1, 2, 2, 2, 2], true), 2).map((slice) => slice.changes.length)).toEqual([5]);
  });
});
