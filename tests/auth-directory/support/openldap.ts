// A throwaway OpenLDAP for the directory sign-in tests: Debian's slapd on a random loopback port,
// configured in a temporary folder (slapd.conf, mdb backend, the memberof overlay), filled and
// changed with ldapadd/ldapmodify/ldapdelete as an operator's directory administrator would.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';

export const SLAPD = ['/usr/sbin/slapd', '/usr/local/libexec/slapd'].find((path) => existsSync(path)) ?? null;
const MODULE_DIR = ['/usr/lib/ldap', '/usr/lib/x86_64-linux-gnu/ldap', '/usr/lib/aarch64-linux-gnu/ldap'].find((path) => existsSync(path)) ?? '/usr/lib/ldap';

export const SUFFIX = 'dc=operator,dc=test';
export const ADMIN_DN = `cn=admin,${SUFFIX}`;
export const ADMIN_PASSWORD = 'slapd-admin-secret';
export const SERVICE_DN = `cn=clm-service,ou=services,${SUFFIX}`;
export const SERVICE_PASSWORD = 'Service-Account-2027';
export const PEOPLE = `ou=people,${SUFFIX}`;
export const GROUPS = `ou=groups,${SUFFIX}`;

export interface Slapd {
  url: string;
  /** Runs ldapadd / ldapmodify (LDIF) or ldapdelete (DNs, one a line) as the directory's administrator, `input` on stdin. */
  admin(tool: 'ldapadd' | 'ldapmodify' | 'ldapdelete', input: string): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const config = (dir: string) => `
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath ${MODULE_DIR}
moduleload back_mdb
moduleload memberof
pidfile ${join(dir, 'slapd.pid')}
argsfile ${join(dir, 'slapd.args')}

database mdb
maxsize 16777216
suffix "${SUFFIX}"
rootdn "${ADMIN_DN}"
rootpw ${ADMIN_PASSWORD}
directory ${join(dir, 'data')}
overlay memberof
memberof-refint TRUE

# Passwords are for binding only; entries are readable (the refresh check may run anonymously).
access to attrs=userPassword by anonymous auth by self auth by * none
access to * by * read
`;

/** Child processes that read stdin (the LDAP tools) fed with `input`. */
function withInput(command: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${stderr}`))));
    child.stdin.end(input);
  });
}

/** Waits until slapd accepts a bind: it says nothing when it is ready, so ask it (bounded by attempts, not by a clock). */
async function untilAnswering(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`slapd exited ${child.exitCode}: ${stderr()}`);
    const client = new Client({ url, connectTimeout: 1000, timeout: 1000 });
    try {
      await client.bind(ADMIN_DN, ADMIN_PASSWORD);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
  throw new Error(`slapd did not answer on ${url}: ${stderr()}`);
}

export async function startSlapd(): Promise<Slapd> {
  if (SLAPD === null) throw new Error('slapd is not installed');
  const dir = await mkdtemp(join(tmpdir(), 'clm-slapd-'));
  await mkdir(join(dir, 'data'));
  await writeFile(join(dir, 'slapd.conf'), config(dir));
  let lastError: unknown;
  // A port found free can be taken before slapd binds it: try another one then.
  for (let attempt = 0; attempt < 5; attempt++) {
    const url = `ldap://127.0.0.1:${await freePort()}`;
    // -d 0: stay in the foreground (the test owns the process) without debug output.
    const child = spawn(SLAPD, ['-f', join(dir, 'slapd.conf'), '-h', `${url}/`, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await untilAnswering(url, child, () => stderr);
    } catch (error) {
      lastError = error;
      child.kill('SIGKILL');
      continue;
    }
    const adminArgs = ['-x', '-H', url, '-D', ADMIN_DN, '-w', ADMIN_PASSWORD];
    return {
      url,
      admin: (tool, input) => withInput(tool, adminArgs, input),
      async stop() {
        if (child.exitCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        }
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

/** The operator's directory: three people, a service account, the groups CLM maps and one it does not. */
export const ORGANISATION_LDIF = `
dn: ${SUFFIX}
objectClass: dcObject
objectClass: organization
dc: operator
o: Operator Test

dn: ${PEOPLE}
objectClass: organizationalUnit
ou: people

dn: ${GROUPS}
objectClass: organizationalUnit
ou: groups

dn: ou=services,${SUFFIX}
objectClass: organizationalUnit
ou: services

dn: ${SERVICE_DN}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: clm-service
userPassword: ${SERVICE_PASSWORD}

dn: uid=zhangwei,${PEOPLE}
objectClass: inetOrgPerson
uid: zhangwei
cn: 张伟
sn: 张
userPassword: Zhang-Wei-Pass-2027

dn: uid=lina,${PEOPLE}
objectClass: inetOrgPerson
uid: lina
cn: 李娜
sn: 李
userPassword: Li-Na-Pass-2027

dn: uid=zhouqiang,${PEOPLE}
objectClass: inetOrgPerson
uid: zhouqiang
cn: 周强
sn: 周
userPassword: Zhou-Qiang-Pass-2027

dn: cn=clm-agents-t1,${GROUPS}
objectClass: groupOfNames
cn: clm-agents-t1
member: uid=zhangwei,${PEOPLE}
member: uid=zhouqiang,${PEOPLE}

dn: cn=clm-supervisors,${GROUPS}
objectClass: groupOfNames
cn: clm-supervisors
member: uid=lina,${PEOPLE}

dn: cn=canteen-committee,${GROUPS}
objectClass: groupOfNames
cn: canteen-committee
member: uid=zhangwei,${PEOPLE}
member: uid=lina,${PEOPLE}
`;
