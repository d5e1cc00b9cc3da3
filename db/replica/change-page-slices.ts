// Downloaded pages are written in several transactions, so the desk's event loop is free between
// them and a ringing call's card waits for at most one slice. Measured in one transaction: a
// 10,000-customer snapshot page held the loop 4.9 s (20,000-customer demo book, encrypted cache, 2
// loaded cores: a call rung meanwhile showed ~8 s late); a 5,000-change page of customers and scores
// 300–460 ms (plain cache, load 4). A slice of 1,000 rows holds it a fifth to a tenth of that, and
// the download as a whole is no slower.
import type { SyncChangesResponse } from '../../shared/contract/central-api';

/** Rows written per transaction by a download, the snapshot's and the change feed's alike. */
export const WRITE_SLICE_ROWS = 1_000;

/**
 * `page` cut into pages of about `sliceRows` changes, each ending on a whole seq so its cursor (its last
 * seq) is safe: the page holds every change up to its own cursor, in seq order. The last slice keeps
 * the page's cursor and `hasMore`; a page with no changes is one slice.
 */
export function changePageSlices(page: SyncChangesResponse, sliceRows = WRITE_SLICE_ROWS): SyncChangesResponse[] {
  const slices: SyncChangesResponse[] = [];
  let start = 0;
  while (page.changes.length - start > sliceRows) {
    let end = start + sliceRows;
    while (end < page.changes.length && page.changes[end]!.seq === page.changes[end - 1]!.seq) end += 1;
    if (end === page.changes.length) break;
    slices.push({ ...page, changes: page.changes.slice(start, end), nextCursor: page.changes[end - 1]!.seq, hasMore: true });
    start = end;
  }
  slices.push({ ...page, changes: start === 0 ? page.changes : page.changes.slice(start) });
  return slices;
}
