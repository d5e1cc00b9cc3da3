// Entry of the Electron utility process that owns the SQLite cache (the one writer).
// Main forwards renderer invocations here; SQL never runs on main or in the renderer.
import type { ParentPort } from 'electron';
import type { DeskResult } from '../../shared/contract/desk-api';
import type { DeskBackend } from '../../desk-backend/desk-backend';
import { openDeskBackend } from '../../desk-backend/opening-desk-backend';
import { FromDataProcess, ToDataProcess } from '../common/data-process-protocol';
import { checkSqliteBinding, currentRuntime } from '../common/sqlite-binding';

const parentPort: ParentPort = process.parentPort;
const send = (message: FromDataProcess) => parentPort.postMessage(message);

function argument(name: string): string {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  if (value === undefined) throw new Error(`data process started without --${name}`);
  return value;
}

/** Tells main why the cache cannot be used (it shows the user). */
function refuse(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(message); // the terminal of `npm start` sees it too, beside main's dialog
  send({ kind: 'fatal', message });
}

/** Opens the cache with the key main sent (a plain cache of before is encrypted first, on a worker thread); null, after refusing, when it cannot be used. */
function openDesk(cacheKey: string): DeskBackend | null {
  try {
    // better-sqlite3-multiple-ciphers' own build is Node's; this process runs on Electron's ABI and
    // opens SQLite with the build main names, refused with the fix in the message when it is the wrong one.
    const sqliteBinding = argument('sqlite-binding');
    checkSqliteBinding(sqliteBinding, currentRuntime());
    const backend = openDeskBackend({ cachePath: argument('cache'), apiUrl: argument('api'), sqliteBinding, cacheKey });
    backend.opened.catch(refuse);
    return backend;
  } catch (error) {
    refuse(error);
    return null;
  }
}

function main() {
  let backend: DeskBackend | null = null;
  parentPort.on('message', async ({ data }) => {
    const message = ToDataProcess.safeParse(data);
    if (!message.success) return; // main is trusted; a malformed message is a bug, not input to answer
    if (message.data.kind === 'open') {
      if (backend !== null) return;
      backend = openDesk(message.data.cacheKey);
      if (backend === null) return;
      backend.onEvent((event) => send({ kind: 'event', event }));
      send({ kind: 'ready' });
    }
    if (message.data.kind === 'shutdown') {
      await backend?.close();
      process.exit(0);
    }
    if (message.data.kind === 'invoke') {
      const { id, operation, input } = message.data;
      const result: DeskResult<unknown> = backend
        ? await backend.invoke(operation, input)
        : { ok: false, error: { code: 'cache_unavailable', message: 'the local cache is not open' } };
      send({ kind: 'result', id, result });
    }
  });
}

main();
