// `clm desks` on the command line: an administrator lists the desks, revokes a lost laptop's desk
// (holding or discarding its unsent work) and reinstates it; an unknown desk or a missing flag is
// bad input (exit code 2, one line on stderr).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskList } from '../../shared/contract/desks';
import { openSqlClient } from '../../server/db/open-sql-client';
import { envWithoutDatabaseUrl, runClmInProcess } from '../support/clm-process';
import { migratedDataDir } from '../support/test-pglite';

const scratch = mkdtempSync(path.join(tmpdir(), 'clm-desks-cli-'));
const dataDir = path.join(scratch, 'db');
const DESK = 'desk-cli-0b9e2f4c';

beforeAll(async () => {
  await migratedDataDir(dataDir);
  // A desk a session was started on, as a login with X-CLM-Desk leaves it.
  const { db } = await openSqlClient({ dataDir });
  try {
    await db.query(`INSERT INTO devices (device_id, last_user_id, last_seen_at) VALUES ($1, 'agent01', now())`, [DESK]);
  } finally {
    await db.close();
  }
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const clm = (args: string[]) => runClmInProcess(['desks', ...args, '--data-dir', dataDir], { env: envWithoutDatabaseUrl() });
const listed = async () => DeskList.parse(JSON.parse((await clm(['list', '--json'])).stdout)).desks;

describe('clm desks', () => {
  it('revokes a desk holding its unsent work, changes the decision to discard, and reinstates it', async () => {
    const revoked = await clm(['revoke', '--desk', DESK, '--reason', 'laptop stolen, ticket 4711', '--by', 'it-admin']);
    expect(revoked.stderr).toBe('');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`revoked ${DESK}\tagent01`);
    expect(revoked.stdout).toContain('keeps its unsent work until reinstated');
    expect(await listed()).toEqual([
      expect.objectContaining({ deskId: DESK, revokedBy: 'it-admin', revokeReason: 'laptop stolen, ticket 4711', unsent: 'hold' }),
    ]);

    expect((await clm(['revoke', '--desk', DESK, '--reason', 'not found after a week', '--discard-unsent', '--by', 'it-admin'])).code).toBe(0);
    expect((await listed())[0]).toMatchObject({ unsent: 'discard', revokeReason: 'not found after a week' });

    const reinstated = await clm(['reinstate', '--desk', DESK]);
    expect(reinstated.code).toBe(0);
    expect((await listed())[0]).toMatchObject({ revokedAt: null, unsent: null });
  });

  it('refuses an unknown desk and a revocation without a reason', async () => {
    const unknown = await clm(['revoke', '--desk', 'desk-nobody', '--reason', 'lost']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("clm: desks: No desk 'desk-nobody': a desk is known once a session was started on it (clm desks list shows them)\n");
    const noReason = await clm(['revoke', '--desk', DESK]);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toBe('clm: desks revoke: missing required flag --reason\n');
  });
});
