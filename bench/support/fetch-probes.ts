// fetch wrappers handed to the desk backend (its `fetch` option) to see what its sync does
// without changing it.

const urlOf = (input: Parameters<typeof fetch>[0]) => new URL(input instanceof Request ? input.url : String(input));
/** A download page: the change feed or a snapshot (bootstrap) page. */
const isSyncPage = (input: Parameters<typeof fetch>[0]) => ['/sync/changes', '/sync/snapshot'].includes(urlOf(input).pathname);

/**
 * Time spent waiting for /sync/changes and /sync/snapshot responses (until headers: the central API answers once
 * the page is queried and serialized, so this is the server's share). Costs two clock reads.
 */
export function timingFetch() {
  let waitMs = 0;
  let pages = 0;
  const wrapped: typeof fetch = async (input, init) => {
    const started = performance.now();
    const response = await fetch(input, init);
    if (isSyncPage(input)) {
      waitMs += performance.now() - started;
      pages += 1;
    }
    return response;
  };
  return { fetch: wrapped, waitSeconds: () => waitMs / 1000, pages: () => pages };
}

/**
 * Counts the rows each download page brings (changes of the feed, rows of a snapshot page) and
 * where each request started (parses every page twice: not for timed runs).
 */
export function countingFetch() {
  const starts: string[] = [];
  let rows = 0;
  const wrapped: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (isSyncPage(input) && response.ok) {
      const url = urlOf(input);
      starts.push(
        url.pathname === '/sync/changes'
          ? `changes after ${url.searchParams.get('after')}`
          : `snapshot ${url.searchParams.get('entity')} after '${url.searchParams.get('afterKey')}'`,
      );
      const body = (await response.clone().json()) as { changes?: unknown[]; rows?: unknown[] };
      rows += (body.changes ?? body.rows ?? []).length;
    }
    return response;
  };
  return { fetch: wrapped, starts, fetched: () => rows };
}

/**
 * Adds up the body bytes of every download page (change feed and snapshot) the desk receives. It drops the desk's
 * 10 s request timeout: on a shared machine a 10,000-row snapshot page can take longer.
 */
export function byteCountingFetch() {
  let bytes = 0;
  const wrapped: typeof fetch = async (input, init) => {
    const response = await fetch(input, { ...init, signal: null });
    if (!isSyncPage(input)) return response;
    const body = await response.arrayBuffer();
    bytes += body.byteLength;
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return { fetch: wrapped, bytes: () => bytes, reset: () => void (bytes = 0) };
}
