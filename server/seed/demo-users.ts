import type { NewUser } from '../auth/users';
import { DEMO_PASSWORD } from '../../shared/domain/password-policy';

/**
 * DEV/DEMO ONLY: fixed accounts with the shared password 'demo1234' so a demo can log in
 * straight away. A real deployment provisions users from its identity source instead.
 */
export { DEMO_PASSWORD };

const AGENT_NAMES = ['王芳', '李娜', '张伟', '刘洋', '陈静'];
/** agent01–03 work in hotline team T1 (which sup01 leads), agent04–05 in T2; the store counter is S1. */
const AGENT_TEAMS = ['T1', 'T1', 'T1', 'T2', 'T2'];

export const DEMO_USERS: readonly NewUser[] = [
  ...AGENT_NAMES.map((name, i) => ({
    username: `agent0${i + 1}`,
    role: 'agent' as const,
    displayName: `${name} (agent0${i + 1})`,
    team: AGENT_TEAMS[i] ?? null,
    password: DEMO_PASSWORD,
  })),
  { username: 'store01', role: 'store', displayName: '赵敏 (store01)', team: 'S1', password: DEMO_PASSWORD },
  { username: 'sup01', role: 'supervisor', displayName: '孙强 (sup01)', team: 'T1', password: DEMO_PASSWORD },
  { username: 'admin01', role: 'admin', displayName: '系统管理员 (admin01)', team: null, password: DEMO_PASSWORD },
];
