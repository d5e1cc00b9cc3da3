// Every migration this build knows, in order. Append only.
import { migration0001Initial } from './0001_initial';
import { migration0002RefreshTokensAndLoginFailures } from './0002_refresh_tokens_and_login_failures';
import type { Migration } from './migration';

export type { Migration } from './migration';
export const MIGRATIONS: readonly Migration[] = [migration0001Initial, migration0002RefreshTokensAndLoginFailures];
