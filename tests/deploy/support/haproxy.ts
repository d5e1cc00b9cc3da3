// deploy/haproxy.cfg run for real on this machine: only the compose addresses are rewritten
// (api1:4310 → the instances' loopback addresses, bind :4310 → a free loopback port); every other
// line is the shipped file. Used by the deploy tests and by bench/api-scale.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './dockerfile';
import { eventually, freePort, start } from './processes';

export const HAPROXY_CONFIG = path.join(repoRoot, 'deploy/haproxy.cfg');
export const haproxyInstalled = spawnSync('haproxy', ['-v']).status === 0;
export const NO_HAPROXY = 'haproxy not installed (apt-get install haproxy): HAProxy tests skipped';

/** Replaces `from` with `to`, which must occur exactly once: the rest of the file stays as shipped. */
function replaceOnce(text: string, from: string, to: string): string {
  if (text.split(from).length !== 2) throw new Error(`deploy/haproxy.cfg: expected exactly one '${from}'`);
  return text.replace(from, to);
}

/** The shipped configuration listening on `listenPort` in front of `instances` ("127.0.0.1:port", api1 then api2; one means api2 is left out). */
function balancerConfig(listenPort: number, instances: readonly string[]): string {
  let config = replaceOnce(readFileSync(HAPROXY_CONFIG, 'utf8'), 'bind :4310', `bind 127.0.0.1:${listenPort}`);
  config = replaceOnce(config, 'server api1 api1:4310', `server api1 ${instances[0]}`);
  return replaceOnce(config, 'server api2 api2:4310', instances[1] === undefined ? '' : `server api2 ${instances[1]}`);
}

export interface Balancer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** HAProxy in the foreground (-db, as in the haproxy image), answering once an instance passed its /health/ready checks. */
export async function startBalancer(instances: readonly string[]): Promise<Balancer> {
  const port = await freePort();
  const workDir = mkdtempSync(path.join(tmpdir(), 'clm-haproxy-'));
  const configFile = path.join(workDir, 'haproxy.cfg');
  writeFileSync(configFile, balancerConfig(port, instances));
  const haproxy = await start(['haproxy', '-db', '-f', configFile], { env: { PATH: process.env.PATH ?? '' } });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await haproxy.stop();
    rmSync(workDir, { recursive: true, force: true });
  };
  const ended = haproxy.exited.then((code) => Promise.reject(new Error(`haproxy ended (${code}):\n${haproxy.output()}`)));
  ended.catch(() => undefined); // its stop is expected
  try {
    await Promise.race([eventually(async () => (await fetch(`${url}/health/ready`)).ok, 'the balancer to answer'), ended]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output: haproxy.output, stop };
}
