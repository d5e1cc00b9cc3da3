import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deskDirectory, deskOpener } from '../../web-host/desk-directories';
import type { DeskBackendLike } from '../../web-host/user-desks';

const idle: DeskBackendLike = {
  invoke: async () => ({ ok: true, value: null }),
  onEvent: () => () => undefined,
  close: async () => undefined,
};

describe('each user’s desk folder in browser mode', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'clm-desks-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** An opener whose "backend" writes the cache file, as opening a real one does. */
  const openerIn = (dir: string) => {
    const opened: string[] = [];
    const open = deskOpener(dir, (cachePath) => {
      opened.push(cachePath);
      if (!existsSync(cachePath)) writeFileSync(cachePath, 'new cache');
      return idle;
    });
    return { open, opened };
  };

  it('opens each user’s cache in <dataDir>/desks/<agentId>/', () => {
    const dir = dataDir();
    const { open, opened } = openerIn(dir);
    open('agent05');
    open('sup01');
    expect(opened).toEqual([path.join(dir, 'desks', 'agent05', 'desk-cache.sqlite'), path.join(dir, 'desks', 'sup01', 'desk-cache.sqlite')]);
  });

  it('refuses an id that is not a username, so no folder is named by a path', () => {
    expect(() => deskDirectory('/data', '../other')).toThrow();
    expect(() => deskDirectory('/data', 'a/b')).toThrow();
    expect(deskDirectory('/data', 'agent.01')).toBe(path.join('/data', 'desks', 'agent.01'));
  });

  it('drops the folder a failed first login made, and never a folder that was there before', () => {
    const dir = dataDir();
    const { open } = openerIn(dir);
    open('nobody01').discard?.();
    expect(existsSync(path.join(dir, 'desks', 'nobody01'))).toBe(false);

    mkdirSync(path.join(dir, 'desks', 'agent01'), { recursive: true });
    writeFileSync(path.join(dir, 'desks', 'agent01', 'desk-cache.sqlite'), 'outbox with an unsent outcome');
    expect(open('agent01').discard).toBeUndefined();
    expect(readFileSync(path.join(dir, 'desks', 'agent01', 'desk-cache.sqlite'), 'utf8')).toBe('outbox with an unsent outcome');
  });

  it('gives the single cache an earlier host kept to the first user who signs in, with its write-ahead log', () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, 'desk-cache.sqlite'), 'old cache');
    writeFileSync(path.join(dir, 'desk-cache.sqlite-wal'), 'old log');
    const { open } = openerIn(dir);

    // A failed login hands it back for the next one.
    open('typo01').discard?.();
    expect(readFileSync(path.join(dir, 'desk-cache.sqlite'), 'utf8')).toBe('old cache');
    expect(readFileSync(path.join(dir, 'desk-cache.sqlite-wal'), 'utf8')).toBe('old log');

    open('agent01');
    const desk = path.join(dir, 'desks', 'agent01');
    expect(readFileSync(path.join(desk, 'desk-cache.sqlite'), 'utf8')).toBe('old cache');
    expect(readFileSync(path.join(desk, 'desk-cache.sqlite-wal'), 'utf8')).toBe('old log');
    expect(existsSync(path.join(dir, 'desk-cache.sqlite'))).toBe(false);
    open('agent02');
    expect(readFileSync(path.join(dir, 'desks', 'agent02', 'desk-cache.sqlite'), 'utf8')).toBe('new cache');
  });
});
