// Runtime settings: explicit options first, then environment variables, then defaults.
import { randomBytes } from 'node:crypto';

export const DEFAULT_TOKEN_TTL_MINUTES = 480; // one shift
/** DEV DEFAULT ONLY: the telephony platform must be given a real key through CLM_CTI_KEY. */
export const DEV_CTI_KEY = 'demo-cti-key';

export interface SecuritySettings {
  tokenSecret: string;
  tokenTtlMinutes: number;
  ctiKey: string;
}

function positiveInteger(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got '${raw}'`);
  return value;
}

export function resolveSecuritySettings(
  options: { tokenSecret?: string; ctiKey?: string },
  env: NodeJS.ProcessEnv = process.env,
): SecuritySettings {
  let tokenSecret = options.tokenSecret ?? env.CLM_TOKEN_SECRET;
  if (!tokenSecret) {
    tokenSecret = randomBytes(32).toString('base64url');
    console.warn(
      'CLM_TOKEN_SECRET is not set: using a random per-process token secret; multi-instance deployments must set it so every instance accepts the same tokens.',
    );
  }
  const ttl = env.CLM_TOKEN_TTL_MINUTES;
  return {
    tokenSecret,
    tokenTtlMinutes: ttl ? positiveInteger('CLM_TOKEN_TTL_MINUTES', ttl) : DEFAULT_TOKEN_TTL_MINUTES,
    ctiKey: options.ctiKey ?? (env.CLM_CTI_KEY || DEV_CTI_KEY),
  };
}
