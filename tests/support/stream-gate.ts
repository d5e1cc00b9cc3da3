// A TCP pass-through in front of a central API that can shut the desks' WebSocket (/cti/stream) out
// while every other request still goes through: a desk whose stream is down but whose API is up.
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface StreamGate {
  url: string;
  /** Cuts the open streams and refuses new ones (true), or lets them through again (false). */
  shut(shut: boolean): void;
  close(): Promise<void>;
}

const STREAM_REQUEST = /^GET \/cti\/stream[?/ ]/;

export async function startStreamGate(upstreamPort: number): Promise<StreamGate> {
  let shut = false;
  const streams = new Set<Socket>();
  const all = new Set<Socket>();
  const server = createServer((client) => {
    all.add(client);
    client.on('close', () => all.delete(client));
    client.on('error', () => undefined);
    client.once('data', (first) => {
      const isStream = STREAM_REQUEST.test(first.toString('latin1'));
      if (isStream && shut) return void client.destroy();
      const upstream = connect(upstreamPort, '127.0.0.1');
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      if (isStream) {
        streams.add(client);
        client.on('close', () => streams.delete(client));
      }
      upstream.write(first);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    shut(value) {
      shut = value;
      if (value) for (const stream of streams) stream.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of all) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
