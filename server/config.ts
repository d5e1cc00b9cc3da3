// Runtime settings: explicit options first, then environment variables, then defaults.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
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

function wholeNumber(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number (0 or more), got '${raw}'`);
  return value;
}

/** The pg Pool's size per instance: instances × pool size must stay under PostgreSQL's max_connections. */
export const DEFAULT_DB_POOL_SIZE = 10;

/** How one API instance uses PostgreSQL (PGlite is one embedded connection and ignores both). */
export interface DatabasePoolSettings {
  poolSize: number;
  /** PostgreSQL's statement_timeout for the pool's sessions; 0: no limit (a migration or import may run long). */
  statementTimeoutMs: number;
}

/**
 * This instance among the others behind the load balancer: its name in /health/ready and in every
 * metric's `instance_id` label (default: the host name, which a container gets per instance).
 */
export interface InstanceSettings {
  instanceId: string;
  database: DatabasePoolSettings;
}

export interface InstanceOptions {
  instanceId?: string;
  database?: Partial<DatabasePoolSettings>;
}

const INSTANCE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$/;

/** CLM_INSTANCE_ID, CLM_DB_POOL_SIZE and CLM_DB_STATEMENT_TIMEOUT_MS, unless the options name them. */
export function resolveInstanceSettings(options: InstanceOptions, env: NodeJS.ProcessEnv = process.env): InstanceSettings {
  const instanceId = options.instanceId ?? (env.CLM_INSTANCE_ID || hostname());
  if (!INSTANCE_ID.test(instanceId))
    throw new Error(`CLM_INSTANCE_ID must be 1-63 letters, digits, '.', '_', ':' or '-' (it labels every metric), got '${instanceId}'`);
  const poolSize = options.database?.poolSize ?? (env.CLM_DB_POOL_SIZE ? positiveInteger('CLM_DB_POOL_SIZE', env.CLM_DB_POOL_SIZE) : DEFAULT_DB_POOL_SIZE);
  const statementTimeoutMs =
    options.database?.statementTimeoutMs ?? (env.CLM_DB_STATEMENT_TIMEOUT_MS ? wholeNumber('CLM_DB_STATEMENT_TIMEOUT_MS', env.CLM_DB_STATEMENT_TIMEOUT_MS) : 0);
  return { instanceId, database: { poolSize, statementTimeoutMs } };
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

/** A shared secret a platform signs or authenticates with: long enough that guessing is hopeless. */
const PlatformSecret = z.string().min(16, 'must be at least 16 characters');
/** The current key and, while the platform is being switched over, the previous one. */
const RotatingSecrets = z.array(PlatformSecret).max(2, 'at most two keys (the current one and the previous one)');

/** The CTI connectors an operator configures (docs/integration/ has a page per connector). */
export const CtiConnectorSettings = z.object({
  /** The signed generic webhook (POST /cti/webhook): HMAC-SHA256 keys; none means it refuses every request. */
  webhook: z.object({
    keys: RotatingSecrets.default([]),
    /** How far a request's timestamp may be from our clock, so a captured request cannot be replayed later. */
    toleranceSeconds: z.number().int().min(1).max(3600).default(300),
  }),
  /** Amazon Connect contact events from an EventBridge API destination (POST /cti/amazon-connect/events); null: off. */
  amazonConnect: z
    .object({
      /** The API key header's values the EventBridge connection sends (X-CLM-Connect-Key). */
      keys: RotatingSecrets.min(1, 'at least one key'),
      /** The user-defined contact attribute the flow sets to the caller's number ($.CustomerEndpoint.Address). */
      callerAttribute: z.string().min(1).default('clmCallerNumber'),
      /** When set, events of any other Connect instance are refused. */
      instanceArn: z.string().startsWith('arn:').nullable().default(null),
    })
    .nullable(),
  /** Genesys Cloud notifications (a WebSocket client per instance); null: off. */
  genesys: z
    .object({
      /** OAuth client credentials of the operator's Genesys Cloud organisation. */
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      /** https://api.<region> and https://login.<region>, from CLM_GENESYS_REGION (default mypurecloud.com) unless CLM_GENESYS_API_URL / CLM_GENESYS_LOGIN_URL name them. */
      apiUrl: z.url(),
      loginUrl: z.url(),
      /** How often the mapped agents (users with external id genesys:…) are read again and subscribed. */
      agentRefreshSeconds: z.number().int().min(5).default(300),
    })
    .nullable(),
  /** A SIP proxy in front of the agents' phones (Kamailio, deploy/kamailio/kamailio.cfg) posting signed call events (POST /cti/sip/events); null: off. */
  sip: z
    .object({
      /** The HMAC-SHA256 keys the proxy signs with (X-CLM-Signature, as for the webhook), its own so either sender can be cut off alone. */
      keys: RotatingSecrets.min(1, 'at least one key'),
      toleranceSeconds: z.number().int().min(1).max(3600).default(300),
    })
    .nullable()
    .default(null),
  /** FreeSWITCH's Event Socket, which the API connects to (on one instance only: each connected instance publishes every event); null: off. */
  freeswitch: z
    .object({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(8021),
      password: z.string().min(1, 'the Event Socket password is required'),
      /** The header of the agent's leg that names the agent, mapped through the external id freeswitch:<value>. */
      agentHeader: z.string().min(1).default('Caller-Destination-Number'),
    })
    .nullable()
    .default(null),
});
export type CtiConnectorSettings = z.infer<typeof CtiConnectorSettings>;
export type CtiConnectorOptions = z.input<typeof CtiConnectorSettings>;

const commaList = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
const numberOrUndefined = (raw: string | undefined) => (raw ? Number(raw) : undefined);

/** The variable each setting comes from, so a refused setting is named as the operator wrote it. */
const CTI_VARIABLES: Record<string, string> = {
  'webhook.keys': 'CLM_CTI_WEBHOOK_KEYS',
  'webhook.toleranceSeconds': 'CLM_CTI_WEBHOOK_TOLERANCE_SECONDS',
  'amazonConnect.keys': 'CLM_CONNECT_KEYS',
  'amazonConnect.callerAttribute': 'CLM_CONNECT_CALLER_ATTRIBUTE',
  'amazonConnect.instanceArn': 'CLM_CONNECT_INSTANCE_ARN',
  'genesys.clientSecret': 'CLM_GENESYS_CLIENT_SECRET',
  'genesys.apiUrl': 'CLM_GENESYS_API_URL (or CLM_GENESYS_REGION)',
  'genesys.loginUrl': 'CLM_GENESYS_LOGIN_URL (or CLM_GENESYS_REGION)',
  'genesys.agentRefreshSeconds': 'CLM_GENESYS_AGENT_REFRESH_SECONDS',
  'sip.keys': 'CLM_SIP_KEYS',
  'sip.toleranceSeconds': 'CLM_SIP_TOLERANCE_SECONDS',
  'freeswitch.port': 'CLM_FREESWITCH_PORT',
  'freeswitch.password': 'CLM_FREESWITCH_PASSWORD',
  'freeswitch.agentHeader': 'CLM_FREESWITCH_AGENT_HEADER',
};

function ctiSettingsFromEnv(env: NodeJS.ProcessEnv): CtiConnectorOptions {
  const region = env.CLM_GENESYS_REGION || 'mypurecloud.com';
  return {
    webhook: { keys: commaList(env.CLM_CTI_WEBHOOK_KEYS), toleranceSeconds: numberOrUndefined(env.CLM_CTI_WEBHOOK_TOLERANCE_SECONDS) },
    amazonConnect: env.CLM_CONNECT_KEYS
      ? {
          keys: commaList(env.CLM_CONNECT_KEYS),
          callerAttribute: env.CLM_CONNECT_CALLER_ATTRIBUTE || undefined,
          instanceArn: env.CLM_CONNECT_INSTANCE_ARN || undefined,
        }
      : null,
    genesys: env.CLM_GENESYS_CLIENT_ID
      ? {
          clientId: env.CLM_GENESYS_CLIENT_ID,
          clientSecret: env.CLM_GENESYS_CLIENT_SECRET ?? '',
          apiUrl: env.CLM_GENESYS_API_URL || `https://api.${region}`,
          loginUrl: env.CLM_GENESYS_LOGIN_URL || `https://login.${region}`,
          agentRefreshSeconds: numberOrUndefined(env.CLM_GENESYS_AGENT_REFRESH_SECONDS),
        }
      : null,
    sip: env.CLM_SIP_KEYS ? { keys: commaList(env.CLM_SIP_KEYS), toleranceSeconds: numberOrUndefined(env.CLM_SIP_TOLERANCE_SECONDS) } : null,
    freeswitch: env.CLM_FREESWITCH_HOST
      ? {
          host: env.CLM_FREESWITCH_HOST,
          port: numberOrUndefined(env.CLM_FREESWITCH_PORT),
          password: env.CLM_FREESWITCH_PASSWORD ?? '',
          agentHeader: env.CLM_FREESWITCH_AGENT_HEADER || undefined,
        }
      : null,
  };
}

/** The connectors' settings: the options as given (tests, embedding), else the CLM_CTI_*, CLM_CONNECT_*, CLM_GENESYS_*, CLM_SIP_* and CLM_FREESWITCH_* variables. */
export function resolveCtiConnectorSettings(option: CtiConnectorOptions | undefined, env: NodeJS.ProcessEnv = process.env): CtiConnectorSettings {
  const parsed = CtiConnectorSettings.safeParse(option ?? ctiSettingsFromEnv(env));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.filter((segment) => typeof segment === 'string').join('.');
    return `${option === undefined ? (CTI_VARIABLES[path] ?? path) : path}: ${issue.message}`;
  });
  throw new Error(`CTI connector settings: ${problems.join('; ')}`);
}
