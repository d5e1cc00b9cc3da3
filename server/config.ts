// Runtime settings: explicit options first, then environment variables, then defaults.
import { randomBytes } from 'node:crypto';
import { DEFAULT_CONTACT_HOURS, parseContactHours, type ContactHours } from '../shared/domain/contact-hours';

export const DEFAULT_TOKEN_TTL_MINUTES = 480; // one shift: how long a session lasts
/** Access tokens are short so a stolen one is worth little; the desk refreshes them transparently. */
export const DEFAULT_ACCESS_TOKEN_TTL_MINUTES = 15;
/** DEV DEFAULT ONLY: the telephony platform must be given a real key through CLM_CTI_KEY. */
export const DEV_CTI_KEY = 'demo-cti-key';

/**
 * Failed logins allowed per window, counted in the database so every instance behind the load
 * balancer sees the same numbers. Per IP is generous because a call centre sits behind one NAT.
 */
export interface LoginRateLimit {
  windowSeconds: number;
  maxFailuresPerUsername: number;
  maxFailuresPerIp: number;
}
export const DEFAULT_LOGIN_RATE_LIMIT: LoginRateLimit = { windowSeconds: 15 * 60, maxFailuresPerUsername: 10, maxFailuresPerIp: 100 };

export interface SecuritySettings {
  tokenSecret: string;
  /** Session length: the refresh token's absolute lifetime. */
  tokenTtlMinutes: number;
  accessTokenTtlMinutes: number;
  ctiKey: string;
  loginRateLimit: LoginRateLimit;
  /** Fastify's trustProxy: which X-Forwarded-For hops to believe when taking the client IP. */
  trustProxy: boolean | string;
}

export interface SecurityOptions {
  tokenSecret?: string;
  ctiKey?: string;
  accessTokenTtlMinutes?: number;
  /** The clock access tokens are issued and checked by (default: the system clock). */
  accessTokenClock?: () => Date;
  loginRateLimit?: Partial<LoginRateLimit>;
  trustProxy?: boolean | string;
}

function positiveInteger(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got '${raw}'`);
  return value;
}

/**
 * CLM_TRUST_PROXY: the load balancer's addresses or CIDRs ("10.0.0.0/8,127.0.0.1"), or "true".
 * Unset: X-Forwarded-For is ignored, so a client cannot pick its own IP to dodge the login limit.
 */
function trustProxyFrom(raw: string | undefined): boolean | string {
  if (!raw || raw === 'false') return false;
  return raw === 'true' ? true : raw;
}

export function resolveSecuritySettings(options: SecurityOptions, env: NodeJS.ProcessEnv = process.env): SecuritySettings {
  let tokenSecret = options.tokenSecret ?? env.CLM_TOKEN_SECRET;
  if (!tokenSecret) {
    tokenSecret = randomBytes(32).toString('base64url');
    console.warn(
      'CLM_TOKEN_SECRET is not set: using a random per-process token secret; multi-instance deployments must set it so every instance accepts the same tokens.',
    );
  }
  const ttl = env.CLM_TOKEN_TTL_MINUTES;
  const accessTtl = env.CLM_ACCESS_TOKEN_TTL_MINUTES;
  const tokenTtlMinutes = ttl ? positiveInteger('CLM_TOKEN_TTL_MINUTES', ttl) : DEFAULT_TOKEN_TTL_MINUTES;
  const accessTokenTtlMinutes =
    options.accessTokenTtlMinutes ?? (accessTtl ? positiveInteger('CLM_ACCESS_TOKEN_TTL_MINUTES', accessTtl) : DEFAULT_ACCESS_TOKEN_TTL_MINUTES);
  return {
    tokenSecret,
    tokenTtlMinutes,
    accessTokenTtlMinutes: Math.min(accessTokenTtlMinutes, tokenTtlMinutes),
    ctiKey: options.ctiKey ?? (env.CLM_CTI_KEY || DEV_CTI_KEY),
    loginRateLimit: { ...DEFAULT_LOGIN_RATE_LIMIT, ...options.loginRateLimit },
    trustProxy: options.trustProxy ?? trustProxyFrom(env.CLM_TRUST_PROXY),
  };
}

/** CLM_CONTACT_HOURS ("08:00-21:00", China time): when customers may be called back or called out. */
export function resolveContactHours(option: ContactHours | undefined, env: NodeJS.ProcessEnv = process.env): ContactHours {
  if (option !== undefined) return option;
  const raw = env.CLM_CONTACT_HOURS;
  if (!raw) return DEFAULT_CONTACT_HOURS;
  try {
    return parseContactHours(raw);
  } catch (error) {
    throw new Error(`CLM_CONTACT_HOURS: ${(error as Error).message}`);
  }
}
