// A stand-in for FreeSWITCH's Event Socket (mod_event_socket, inbound mode) that speaks its wire
// protocol: `auth/request` on connect, `auth <password>` answered by a `command/reply` (+OK accepted,
// or -ERR invalid and the socket closed, as FreeSWITCH does), `event json|plain <names>` subscriptions,
// and events framed by Content-Length as `text/event-json` or `text/event-plain`, only those the client
// subscribed to. FreeSWITCH is not packaged for Debian: `npm run calls -- --replay` plays FreeSWITCH
// fixtures through this, and the tests drive it (send events, drop the connection, change the password).
import { createServer, type Socket } from 'node:net';

/** One event's headers, decoded: the body of a `text/event-json` message. */
export type EventFields = Record<string, string>;

export interface FakeEventSocket {
  port: number;
  /** The password it accepts; a test may change it while a client is retrying. */
  password: string;
  /** Every password a client sent, in order (one per connection that got as far as authenticating). */
  readonly passwordsTried: string[];
  /** Event names the connected, authenticated client subscribed to. */
  subscribed(): Set<string>;
  /** Resolves once an authenticated client has subscribed to all of `names`. */
  whenSubscribed(names: readonly string[]): Promise<void>;
  /** Sends one event to the authenticated client if it subscribed to it; false when it did not (or none is connected). */
  send(fields: EventFields): boolean;
  /** Cuts the current connection, as a FreeSWITCH restart or a network failure does. */
  drop(): void;
  close(): Promise<void>;
}

const reply = (text: string) => `Content-Type: command/reply\nReply-Text: ${text}\n\n`;

function frame(fields: EventFields, format: 'json' | 'plain'): string {
  const body =
    format === 'json'
      ? JSON.stringify(fields)
      : `${Object.entries(fields)
          .map(([name, value]) => `${name}: ${encodeURIComponent(value)}`)
          .join('\n')}\n\n`;
  return `Content-Length: ${Buffer.byteLength(body)}\nContent-Type: text/event-${format}\n\n${body}`;
}

export async function startFakeEventSocket(options: { password: string; port?: number }): Promise<FakeEventSocket> {
  let current: { socket: Socket; authenticated: boolean; format: 'json' | 'plain'; events: Set<string> } | null = null;
  const passwordsTried: string[] = [];
  const waiting: { names: readonly string[]; resolve: () => void }[] = [];
  const settleWaiting = () => {
    for (const waiter of [...waiting])
      if (waiter.names.every((name) => fake.subscribed().has(name))) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
  };

  const server = createServer((socket) => {
    const connection = { socket, authenticated: false, format: 'plain' as 'json' | 'plain', events: new Set<string>() };
    current = connection;
    let pending = '';
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (current === connection) current = null;
    });
    socket.on('data', (chunk) => {
      pending += chunk.toString('utf8');
      for (let end = pending.indexOf('\n\n'); end !== -1; end = pending.indexOf('\n\n')) {
        const command = pending.slice(0, end).trim();
        pending = pending.slice(end + 2);
        answer(command);
      }
    });
    socket.write('Content-Type: auth/request\n\n');

    function answer(command: string) {
      const [verb = '', ...words] = command.split(/\s+/);
      if (verb === 'auth') {
        passwordsTried.push(words.join(' '));
        if (words.join(' ') === fake.password) {
          connection.authenticated = true;
          socket.write(reply('+OK accepted'));
        } else {
          socket.end(reply('-ERR invalid'));
        }
      } else if (!connection.authenticated) {
        socket.write(reply('-ERR invalid'));
      } else if (verb === 'event' && (words[0] === 'json' || words[0] === 'plain')) {
        connection.format = words[0];
        for (const name of words.slice(1)) connection.events.add(name);
        socket.write(reply(`+OK event listener enabled ${words[0]}`));
        settleWaiting();
      } else if (verb === 'exit') {
        socket.end(reply('+OK bye'));
      } else {
        socket.write(reply('-ERR command not found'));
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const address = server.address();

  const fake: FakeEventSocket = {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    password: options.password,
    passwordsTried,
    subscribed: () => new Set(current?.authenticated ? current.events : []),
    whenSubscribed(names) {
      return new Promise<void>((resolve) => {
        waiting.push({ names, resolve });
        settleWaiting();
      });
    },
    send(fields) {
      if (current === null || !current.authenticated) return false;
      if (!current.events.has(fields['Event-Name'] ?? '') && !current.events.has('ALL')) return false;
      current.socket.write(frame(fields, current.format));
      return true;
    },
    drop() {
      current?.socket.destroy();
      current = null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        current?.socket.destroy();
        server.close(() => resolve());
      }),
  };
  return fake;
}
