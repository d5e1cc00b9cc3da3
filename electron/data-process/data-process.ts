// Entry of the Electron utility process that owns the SQLite cache (the one writer).
// Main forwards renderer invocations here; SQL never runs on main or in the renderer.
import type { ParentPort } from 'electron';
import { createDeskBackend } from '../../desk-backend/desk-backend';
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

async function main() {
  let backend: ReturnType<typeof createDeskBackend>;
  try {
    // better-sqlite3's own build is Node's; this process runs on Electron's ABI and opens SQLite
    // with the build main names, refused with the fix in the message when it is the wrong one.
    const sqliteBinding = argument('sqlite-binding');
    checkSqliteBinding(sqliteBinding, currentRuntime());
    backend = createDeskBackend({ cachePath: argument('cache'), apiUrl: argument('api'), sqliteBinding });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(message); // the terminal of `npm start` sees it too, beside main's dialog
    send({ kind: 'fatal', message });
    return;
  }
  backend.onEvent((event) => send({ kind: 'event', event }));
  parentPort.on('message', async ({ data }) => {
    const message = ToDataProcess.safeParse(data);
    if (!message.success) return; // main is trusted; a malformed message is a bug, not input to answer
    if (message.data.kind === 'shutdown') {
      await backend.close();
      process.exit(0);
    }
    if (message.data.kind === 'invoke') {
      const { id, operation, input } = message.data;
      send({ kind: 'result', id, result: await backend.invoke(operation, input) });
    }
  });
  send({ kind: 'ready' });
}

void main();
