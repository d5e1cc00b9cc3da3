// Desks a starting host opens before their users log in (user-desks.ts openAhead), on fake desk
// backends whose cache checks end when the test says: one check at a time, never past --max-desks,
// a login finds its desk open, and a desk nobody signs in to closes after the idle time.
import { describe, expect, it, vi } from 'vitest';
import type { DeskResult } from '../../shared/contract/desk-api';
import { createUserDesks, type DeskBackendLike } from '../../web-host/user-desks';
import { manualTimers } from './support/manual-timers';

const IDLE_MS = 30 * 60_000;

interface FakeDesk extends DeskBackendLike {
  agentId: string;
  calls: string[];
  closed: boolean;
  passCheck(): void;
  failCheck(): void;
}

function fakeDesk(agentId: string): FakeDesk {
  let passCheck = () => {};
  let failCheck = () => {};
  const cacheChecked = new Promise<void>((resolve, reject) => {
    passCheck = resolve;
    failCheck = () => reject(new Error('integrity check failed (corrupt)'));
  });
  cacheChecked.catch(() => undefined);
  const desk: FakeDesk = {
    agentId,
    calls: [],
    closed: false,
    cacheChecked,
    passCheck,
    failCheck,
    async invoke(operation, input): Promise<DeskResult<unknown>> {
      desk.calls.push(operation);
      if (operation === 'session/login') {
        if ((input as { password: string }).password === 'wrong') return { ok: false, error: { code: 'unauthenticated', message: 'bad credentials' } };
        return { ok: true, value: { agentId } };
      }
      if (operation === 'sync/status') return { ok: true, value: { outboxPending: 0 } };
      return { ok: true, value: { ok: true } };
    },
    onEvent: () => () => undefined,
    async close() {
      desk.closed = true;
      failCheck();
    },
  };
  return desk;
}

function startDesks(maxDesks: number) {
  const timers = manualTimers();
  const opened: FakeDesk[] = [];
  const warnings: string[] = [];
  const desks = createUserDesks({
    maxDesks,
    idleMs: IDLE_MS,
    startTimer: timers.startTimer,
    warn: (message) => void warnings.push(message),
    opener: (agentId) => {
      const desk = fakeDesk(agentId);
      opened.push(desk);
      return { backend: desk };
    },
  });
  const deskOf = (agentId: string) => opened.filter((d) => d.agentId === agentId).at(-1)!;
  return { desks, opened, deskOf, timers, warnings };
}

const login = (username: string, password = 'demo') => ({ username, password });

describe('desks opened when the host starts', () => {
  it('opens one desk at a time, each after the previous cache check ended, and no more than --max-desks', async () => {
    const { desks, opened } = startDesks(2);
    const done = desks.openAhead(['agent01', 'agent02', 'agent03']);
    expect(opened.map((d) => d.agentId)).toEqual(['agent01']);
    opened[0]!.passCheck();
    await vi.waitFor(() => expect(opened.map((d) => d.agentId)).toEqual(['agent01', 'agent02']));
    opened[1]!.passCheck();
    await done;
    expect(desks.openDesks()).toEqual(['agent01', 'agent02']);
    expect(opened).toHaveLength(2);
    await desks.close();
  });

  it('lets a login find its desk open and checked, and keeps it open after a mistyped password', async () => {
    const { desks, opened, deskOf } = startDesks(2);
    const done = desks.openAhead(['agent01']);
    deskOf('agent01').passCheck();
    await done;
    expect((await desks.invoke('tab', 'session/login', login('agent01', 'wrong'))).status).toBe(401);
    expect(desks.openDesks()).toEqual(['agent01']);
    expect((await desks.invoke('tab', 'session/login', login('agent01'))).body).toEqual({ ok: true, value: { agentId: 'agent01' } });
    expect(opened).toHaveLength(1);
    await desks.close();
  });

  it('closes a desk nobody signs in to after the idle time, without a logout', async () => {
    const { desks, deskOf, timers } = startDesks(2);
    const done = desks.openAhead(['agent01']);
    deskOf('agent01').passCheck();
    await done;
    timers.advance(IDLE_MS - 1);
    expect(desks.openDesks()).toEqual(['agent01']);
    timers.advance(1);
    expect(desks.openDesks()).toEqual([]);
    await vi.waitFor(() => expect(deskOf('agent01').closed).toBe(true));
    expect(deskOf('agent01').calls).toEqual([]);
    await desks.close();
  });

  it('gives the slot of a desk nobody signed in to to another user’s login', async () => {
    const { desks, deskOf } = startDesks(1);
    const done = desks.openAhead(['agent01', 'agent02']);
    deskOf('agent01').passCheck();
    await done;
    expect(desks.openDesks()).toEqual(['agent01']);
    const answer = desks.invoke('tab', 'session/login', login('agent03'));
    await vi.waitFor(() => expect(deskOf('agent03')).toBeDefined());
    deskOf('agent03').passCheck();
    expect((await answer).body).toEqual({ ok: true, value: { agentId: 'agent03' } });
    expect(deskOf('agent01').closed).toBe(true);
    expect(desks.openDesks()).toEqual(['agent03']);
    // A desk in use keeps its slot.
    expect((await desks.invoke('other tab', 'session/login', login('agent04'))).body).toMatchObject({ ok: false, error: { code: 'too_many_desks' } });
    await desks.close();
  });

  it('closes a desk whose cache fails its check at once and goes on with the next', async () => {
    const { desks, opened, deskOf, warnings } = startDesks(2);
    const done = desks.openAhead(['agent01', 'agent02']);
    deskOf('agent01').failCheck();
    await vi.waitFor(() => expect(opened.map((d) => d.agentId)).toEqual(['agent01', 'agent02']));
    deskOf('agent02').passCheck();
    await done;
    expect(deskOf('agent01').closed).toBe(true);
    expect(desks.openDesks()).toEqual(['agent02']);
    expect(warnings.join('\n')).toContain('the desk of agent01 was closed again: its cache failed its check');
    await desks.close();
  });
});
