// Production mode seeds nothing and refuses the demo password; administrators manage staff
// accounts through /users and `clm users`; disabling, a password reset and logging out end sessions.
// `clm users` runs as a child process where a test reads its exit code or feeds it stdin, else in-process.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginWithRefreshResponse } from '../../shared/contract/auth-refresh';
import { UserAccount, UserList } from '../../shared/contract/users';
import { passwordProblems } from '../../shared/domain/password-policy';
import { createCentralApi, type CentralApi } from '../../server/app';
import { DEFAULT_CATALOG_DIR, loadOfferCatalog } from '../../server/catalog/load-catalog';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { envWithoutDatabaseUrl, runClm, runClmInProcess, type ClmRun } from '../support/clm-process';
import { migratedDataDir, openEmptyPglite, type TestPglite } from '../support/test-pglite';
import { bearer, expectApiError, login, startTestApi, TEST_CTI_KEY, TEST_TOKEN_SECRET } from '../server/support/test-api';

const STRONG = 'Night-Shift-2027';

const logIn = (api: CentralApi, username: string, password: string) => api.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password } });
const refresh = (api: CentralApi, refreshToken: string) => api.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });

describe('the password policy', () => {
  it.each([
    ['short', 'Ab1-xyz', /at least 12 characters/],
    ['one kind', 'abcdefghijklmnop', /three of/],
    ['the username', 'Agent17-Password', /must not contain the username/],
    ['the demo password', 'Xx-demo1234-Yy', /published demo password/],
  ])('refuses a password that is %s', (_case, password, problem) => {
    expect(passwordProblems(password, 'agent17').join('; ')).toMatch(problem);
  });
  it('accepts a long password of three kinds', () => expect(passwordProblems(STRONG, 'agent17')).toEqual([]));
});

describe('production mode (no --demo)', () => {
  let database: TestPglite;
  beforeAll(async () => {
    database = await openEmptyPglite();
  });
  afterAll(() => database?.dispose());
  // Demo mode seeds the demo accounts, and customers only when asked: a demo book of any size trains a churn model
  // on 5,000 generated customers first, and nothing here is about customers beyond "production seeds none".
  const onSameDatabase = (demo: boolean, seedCustomers: number) =>
    createCentralApi({ db: { client: database.db, driver: 'pglite' }, demo, seedCustomers, tokenSecret: TEST_TOKEN_SECRET, ctiKey: TEST_CTI_KEY });

  it('seeds nothing into an empty database', async () => {
    const api = await onSameDatabase(false, 20);
    try {
      expect(await api.db.query('SELECT 1 FROM users')).toEqual([]);
      expect(await api.db.query('SELECT 1 FROM customers')).toEqual([]);
      expect(await api.db.query('SELECT 1 FROM offers')).toEqual([]);
      expectApiError(await logIn(api, 'admin01', DEMO_PASSWORD), 401);
    } finally {
      await api.close();
    }
  });

  it("publishes the operator's catalogue (CLM_CATALOG_DIR), never the shipped sample offers; a start without it retires nothing", async () => {
    const own = await openEmptyPglite();
    const catalogDir = mkdtempSync(path.join(tmpdir(), 'clm-operator-catalog-'));
    copyFileSync(path.join(DEFAULT_CATALOG_DIR, 'care.json'), path.join(catalogDir, 'care.json'));
    const careOffers = loadOfferCatalog(catalogDir)
      .offers.map((o) => o.id)
      .sort();
    const offersAfterStart = async (options: { catalogDir?: string }) => {
      const api = await createCentralApi({
        db: { client: own.db, driver: 'pglite' },
        demo: false,
        tokenSecret: TEST_TOKEN_SECRET,
        ctiKey: TEST_CTI_KEY,
        ...options,
      });
      try {
        return (await api.db.query<{ id: string }>('SELECT id FROM offers WHERE NOT deleted ORDER BY id')).map((r) => r.id);
      } finally {
        await api.close();
      }
    };
    try {
      expect(await offersAfterStart({})).toEqual([]);
      expect(await offersAfterStart({ catalogDir })).toEqual(careOffers);
      expect(await offersAfterStart({})).toEqual(careOffers);
    } finally {
      await own.dispose();
      rmSync(catalogDir, { recursive: true, force: true });
    }
  });

  it('refuses the demo password even where the demo accounts exist (a database once run in demo mode)', async () => {
    const demo = await onSameDatabase(true, 0);
    expect((await logIn(demo, 'agent01', DEMO_PASSWORD)).statusCode).toBe(200);
    await demo.close();
    const production = await onSameDatabase(false, 20);
    try {
      expect(expectApiError(await logIn(production, 'agent01', DEMO_PASSWORD), 401).error).toBe('invalid_credentials');
    } finally {
      await production.close();
    }
  });
});

describe('staff administration (/users)', () => {
  let api: CentralApi;
  let admin: Record<string, string>;
  beforeAll(async () => {
    api = await startTestApi({ seedCustomers: 0 });
    admin = bearer(await login(api.app, 'admin01'));
  });
  afterAll(() => api?.close());

  const create = (body: object) => api.app.inject({ method: 'POST', url: '/users', headers: admin, payload: body });
  const patch = (username: string, body: object) => api.app.inject({ method: 'PATCH', url: `/users/${username}`, headers: admin, payload: body });

  it('creates an account that can log in, with its team and external id; refuses duplicates and weak passwords', async () => {
    const created = await create({ username: 'agent17', role: 'agent', displayName: '周杰 (agent17)', team: 'T2', externalId: 'genesys:17', password: STRONG });
    expect(created.statusCode, created.body).toBe(201);
    expect(UserAccount.parse(created.json())).toMatchObject({ id: 'agent17', team: 'T2', externalId: 'genesys:17', disabled: false });
    const session = LoginWithRefreshResponse.parse((await logIn(api, 'agent17', STRONG)).json());
    expect(session.user).toEqual({ id: 'agent17', role: 'agent', displayName: '周杰 (agent17)', team: 'T2' });

    expect(expectApiError(await create({ username: 'agent17', role: 'agent', displayName: 'x', password: STRONG }), 409).error).toBe('username_taken');
    expect(expectApiError(await create({ username: 'agent18', role: 'agent', displayName: 'x', externalId: 'genesys:17', password: STRONG }), 409).error).toBe(
      'external_id_taken',
    );
    const weak = expectApiError(await create({ username: 'agent19', role: 'agent', displayName: 'x', password: DEMO_PASSWORD }), 422);
    expect(weak.message).toMatch(/at least 12 characters.*published demo password/);
    expectApiError(await create({ username: 'bad name!', role: 'agent', displayName: 'x', password: STRONG }), 400);
    const listed = UserList.parse((await api.app.inject({ method: 'GET', url: '/users', headers: admin })).json());
    expect(listed.users.map((u) => u.username)).toContain('agent17');
    expect(listed.users.map((u) => u.username)).not.toContain('agent19');
  });

  it('disabling ends the sessions at once (refresh refused) and refuses the login; enabling lets the user back', async () => {
    await create({ username: 'agent20', role: 'agent', displayName: 'Agent 20', password: STRONG });
    const session = LoginWithRefreshResponse.parse((await logIn(api, 'agent20', STRONG)).json());

    expect(UserAccount.parse((await patch('agent20', { disabled: true })).json()).disabled).toBe(true);
    expect(expectApiError(await refresh(api, session.refreshToken), 401).error).toBe('invalid_refresh_token');
    expect(expectApiError(await logIn(api, 'agent20', STRONG), 403).error).toBe('account_disabled');
    // A wrong password still gets the one answer for every failure: disabled is told only to whoever knows the password.
    expect(expectApiError(await logIn(api, 'agent20', 'Wrong-Password-1'), 401).error).toBe('invalid_credentials');

    await patch('agent20', { disabled: false });
    expect((await logIn(api, 'agent20', STRONG)).statusCode).toBe(200);
  });

  it('moves a user to another team (at the next refresh) and refuses an unknown user', async () => {
    await create({ username: 'agent21', role: 'agent', displayName: 'Agent 21', team: 'T1', password: STRONG });
    const session = LoginWithRefreshResponse.parse((await logIn(api, 'agent21', STRONG)).json());
    expect(UserAccount.parse((await patch('agent21', { team: 'T2' })).json()).team).toBe('T2');
    expect(LoginWithRefreshResponse.shape.user.parse((await refresh(api, session.refreshToken)).json().user).team).toBe('T2');
    expectApiError(await patch('nobody', { team: 'T2' }), 404);
    expectApiError(await patch('agent21', {}), 400);
  });

  it('a password reset ends the sessions; the old password stops working, the new one works', async () => {
    await create({ username: 'agent22', role: 'agent', displayName: 'Agent 22', password: STRONG });
    const session = LoginWithRefreshResponse.parse((await logIn(api, 'agent22', STRONG)).json());
    const reset = await api.app.inject({ method: 'POST', url: '/users/agent22/password', headers: admin, payload: { password: 'Day-Shift-2028!' } });
    expect(reset.statusCode, reset.body).toBe(200);
    expectApiError(await refresh(api, session.refreshToken), 401);
    expectApiError(await logIn(api, 'agent22', STRONG), 401);
    expect((await logIn(api, 'agent22', 'Day-Shift-2028!')).statusCode).toBe(200);
    expectApiError(await api.app.inject({ method: 'POST', url: '/users/agent22/password', headers: admin, payload: { password: 'short' } }), 422);
  });

  it('logging out revokes the refresh token; logging out twice is harmless', async () => {
    const session = LoginWithRefreshResponse.parse((await logIn(api, 'agent02', DEMO_PASSWORD)).json());
    const logout = () => api.app.inject({ method: 'POST', url: '/auth/logout', payload: { refreshToken: session.refreshToken } });
    expect((await logout()).statusCode).toBe(204);
    expect((await logout()).statusCode).toBe(204);
    expectApiError(await refresh(api, session.refreshToken), 401);
  });
});

describe('clm users (the command line, on an embedded database)', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'clm-users-cli-'));
  const dataDir = path.join(scratch, 'db');
  beforeAll(() => migratedDataDir(dataDir));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const trimmed = (run: ClmRun) => ({ ...run, stderr: run.stderr.trim() });
  /** `clm users ARGS` as a child process: the runs that check exit codes, and those that read stdin. */
  const clm = (args: string[], input?: string) => trimmed(runClm(['users', ...args, '--data-dir', dataDir], { input, env: envWithoutDatabaseUrl() }));
  /** The same in this process (tests/support/clm-process.ts). */
  const clmInProcess = async (args: string[]) => trimmed(await runClmInProcess(['users', ...args, '--data-dir', dataDir], { env: envWithoutDatabaseUrl() }));

  // Three child processes that each open the embedded database: a few seconds apiece.
  it('creates the first administrator, then a user; moves, disables and lists; a refused request exits 2 with one line', { timeout: 240_000 }, async () => {
    const first = clm(['create', '--username', 'admin', '--role', 'admin', '--display-name', 'Administrator']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const generated = /password for admin \(shown once[^)]*\): (\S+)/.exec(first.stdout)?.[1];
    expect(generated !== undefined && passwordProblems(generated, 'admin')).toEqual([]);

    expect(
      clm(['create', '--username', 'agent30', '--role', 'agent', '--display-name', 'Agent 30', '--team', 'T1', '--password-stdin'], `${STRONG}\n`).code,
    ).toBe(0);
    expect((await clmInProcess(['set-team', '--username', 'agent30', '--team', 'T2'])).code).toBe(0);
    expect((await clmInProcess(['disable', '--username', 'agent30'])).code).toBe(0);
    const list = UserList.parse(JSON.parse((await clmInProcess(['list', '--json'])).stdout.trim().split('\n').at(-1)!));
    expect(list.users.map((u) => [u.username, u.team, u.disabled])).toEqual([
      ['admin', null, false],
      ['agent30', 'T2', true],
    ]);

    const weak = clm(['reset-password', '--username', 'agent30', '--password-stdin'], 'demo1234\n');
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/^clm: users: The password does not meet the policy: .*at least 12 characters/);
    expect(weak.stderr.split('\n')).toHaveLength(1);
  });

  it('sets and clears an external id, enables a disabled user again', async () => {
    expect((await clmInProcess(['create', '--username', 'agent33', '--role', 'agent', '--display-name', 'Agent 33'])).code).toBe(0);
    // Each command prints the account as it left it: username, role, team, state, external id, display name.
    const printed = async (args: string[]) => {
      const run = await clmInProcess([...args, '--username', 'agent33']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      return run.stdout.trim();
    };
    expect(await printed(['set-external-id', '--external-id', 'genesys:33'])).toBe('updated agent33\tagent\t-\tactive\tgenesys:33\tAgent 33');
    expect(await printed(['set-external-id', '--no-external-id'])).toBe('updated agent33\tagent\t-\tactive\t-\tAgent 33');
    expect(await printed(['disable'])).toBe('disabled agent33\tagent\t-\tdisabled\t-\tAgent 33 (its sessions are revoked)');
    expect(await printed(['enable'])).toBe('enabled agent33\tagent\t-\tactive\t-\tAgent 33');
    const list = UserList.parse(JSON.parse((await clmInProcess(['list', '--json'])).stdout.trim().split('\n').at(-1)!));
    expect(list.users.find((u) => u.username === 'agent33')).toMatchObject({ externalId: null, disabled: false });
  });

  it('reset-password: the new password logs in, the old one and the sessions opened with it are dead', { timeout: 120_000 }, async () => {
    const passwordIn = (run: ClmRun) => /password for agent34 \(shown once[^)]*\): (\S+)/.exec(run.stdout)![1]!;
    const old = passwordIn(await clmInProcess(['create', '--username', 'agent34', '--role', 'agent', '--display-name', 'Agent 34']));
    // The embedded database takes one process at a time: the API is closed while clm runs, as the README says.
    const onApi = async <T>(work: (api: CentralApi) => Promise<T>): Promise<T> => {
      const api = await createCentralApi({ dataDir, demo: false, tokenSecret: TEST_TOKEN_SECRET, ctiKey: TEST_CTI_KEY });
      try {
        return await work(api);
      } finally {
        await api.close();
      }
    };
    const session = await onApi(async (api) => LoginWithRefreshResponse.parse((await logIn(api, 'agent34', old)).json()));

    const reset = await clmInProcess(['reset-password', '--username', 'agent34']);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/password reset for agent34 \(its sessions are revoked\)/);
    const renewed = passwordIn(reset);
    expect(renewed).not.toBe(old);

    await onApi(async (api) => {
      expect(expectApiError(await refresh(api, session.refreshToken), 401).error).toBe('invalid_refresh_token');
      expect(expectApiError(await logIn(api, 'agent34', old), 401).error).toBe('invalid_credentials');
      expect((await logIn(api, 'agent34', renewed)).statusCode).toBe(200);
    });
  });

  it('refuses a bad command line before opening the database', async () => {
    expect((await clmInProcess(['create', '--username', 'agent32', '--role', 'boss', '--display-name', 'x'])).stderr).toMatch(
      /--role must be one of agent, store, supervisor, admin/,
    );
    expect((await clmInProcess(['set-team', '--username', 'agent30'])).stderr).toMatch(/give either --team VALUE or --no-team/);
    expect((await clmInProcess(['promote'])).code).toBe(2);
  });
});
