import type { NewUser } from '../auth/users';

/**
 * DEV/DEMO ONLY: fixed accounts with the shared password 'demo1234' so a demo can log in
 * straight away. A real deployment provisions users from its identity source instead.
 */
export const DEMO_PASSWORD = 'demo1234';

const AGENT_NAMES = ['王芳', '李娜', '张伟', '刘洋', '陈静'];

export const DEMO_USERS: readonly NewUser[] = [
  ...AGENT_NAMES.map((name, i) => ({
    username: `agent0${i + 1}`,
    role: 'agent' as const,
    displayName: `${name} (agent0${i + 1})`,
    password: DEMO_PASSWORD,
  })),
  { username: 'store01', role: 'store', displayName: '赵敏 (store01)', password: DEMO_PASSWORD },
  { username: 'sup01', role: 'supervisor', displayName: '孙强 (sup01)', password: DEMO_PASSWORD },
  { username: 'admin01', role: 'admin', displayName: '系统管理员 (admin01)', password: DEMO_PASSWORD },
];
