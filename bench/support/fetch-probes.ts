// fetch wrappers handed to the desk backend (its `fetch` option) to see what its sync does
// without changing it.

const isChangesPage = (input: Parameters<typeof fetch>[0]) =>
  new URL(input instanceof Request ? input.url : String(input)).pathname === '/sync/changes';

/**
 * Time spent waiting for /sync/changes responses (until headers: the central API answers once
 * the page is queried and serialized, so this is the server's share). Costs two clock reads.
 */
export function timingFetch() {
  let waitMs = 0;
  let pages = 0;
  const wrapped: typeof fetch = async (input, init) => {
    const started = performance.now();
    const response = await fetch(input, init);
    if (isChangesPage(input)) {
      waitMs += performance.now() - started;
      pages += 1;
    }
    return response;
  };
  return { fetch: wrapped, waitSeconds: () => waitMs / 1000, pages: () => pages };
}

/** Counts the changes each /sync/changes page brings and the cursors asked for (parses every page twice: not for timed runs). */
export function countingFetch() {
  const afters: number[] = [];
  let changes = 0;
  const wrapped: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (isChangesPage(input) && response.ok) {
      afters.push(Number(new URL(input instanceof Request ? input.url : String(input)).searchParams.get('after')));
      changes += ((await response.clone().json()) as { changes: unknown[] }).changes.length;
    }
    return response;
  };
  return { fetch: wrapped, afters, fetched: () => changes };
}
