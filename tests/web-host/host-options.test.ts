// The browser-mode host refuses settings it cannot honour before it opens anything, naming the flag.
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

const startHost = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'web-host/main.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

it.each([
  [['--idle-minutes', '0'], '--idle-minutes must be a number of minutes above 0 and at most 10080'],
  // Beyond about 24.8 days Node's timer fires at once and would close every desk at its first idle moment.
  [['--idle-minutes', '100000'], '--idle-minutes must be a number of minutes above 0 and at most 10080'],
  [['--max-desks', '0'], '--max-desks must be a whole number of at least 1'],
])('refuses %j with exit code 2 and the reason', (args, reason) => {
  const run = startHost(...args);
  expect(run.status).toBe(2);
  expect(run.stderr).toContain(reason);
});
