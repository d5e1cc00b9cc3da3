// The OpenID provider's refresh tokens are bearer secrets worth a person's whole IdP session, so the
// database holds them only sealed: AES-256-GCM under a key from configuration (CLM_TOKEN_KEY), with the
// key's id stored beside each sealed value. Keys rotate: CLM_TOKEN_KEY lists `id:base64key` pairs, the
// first seals, every one listed opens (so a new key goes first and the old one stays until no row needs it).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A sealed token as stored: the key's id in its own column, `sealed` = base64url(IV ‖ ciphertext ‖ tag). */
export interface SealedToken {
  keyId: string;
  sealed: string;
}

export interface IdpTokenCipher {
  /** The id of the key new tokens are sealed with (the first listed). */
  readonly currentKeyId: string;
  seal(token: string): SealedToken;
  /** Throws IdpTokenKeyError when the key is not configured or the value does not open with it. */
  open(token: SealedToken): string;
}

/** A stored token this configuration cannot open: its key is not listed, or it is the wrong key (or the value was altered). */
export class IdpTokenKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdpTokenKeyError';
  }
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HOW_TO = 'set CLM_TOKEN_KEY to id:key pairs separated by commas, each key 32 random bytes in base64 (for example k1:$(openssl rand -base64 32))';

/** Reads CLM_TOKEN_KEY; the message says what is wrong and how to write it (never the key itself). */
export function createIdpTokenCipher(setting: string | undefined, source = 'CLM_TOKEN_KEY'): IdpTokenCipher {
  if (setting === undefined || setting.trim() === '') throw new Error(`${source} is not set: ${HOW_TO}`);
  const keys = new Map<string, Buffer>();
  for (const [index, entry] of setting.split(',').entries()) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator).trim();
    const key = Buffer.from(entry.slice(separator + 1).trim(), 'base64');
    if (separator < 0 || !KEY_ID.test(id)) throw new Error(`${source}: entry ${index + 1} has no key id before ':' (letters, digits, - and _): ${HOW_TO}`);
    if (key.length !== 32) throw new Error(`${source}: key '${id}' is ${key.length} bytes, not 32: ${HOW_TO}`);
    if (keys.has(id)) throw new Error(`${source}: key id '${id}' is listed twice`);
    keys.set(id, key);
  }
  const [currentKeyId] = keys.keys() as unknown as [string];
  // The key id is authenticated with the value: a sealed token moved under another id does not open.
  const aadFor = (keyId: string) => Buffer.from(`clm idp refresh token ${keyId}`);

  return {
    currentKeyId,
    seal(token) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys.get(currentKeyId)!, iv).setAAD(aadFor(currentKeyId));
      const ciphertext = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
      return { keyId: currentKeyId, sealed: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url') };
    },
    open({ keyId, sealed }) {
      const key = keys.get(keyId);
      if (key === undefined) throw new IdpTokenKeyError(`a stored IdP refresh token is sealed with key '${keyId}', which CLM_TOKEN_KEY does not list`);
      const bytes = Buffer.from(sealed, 'base64url');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES)).setAAD(aadFor(keyId));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new IdpTokenKeyError(`a stored IdP refresh token does not open with key '${keyId}' (another key under that id, or the value was altered)`);
      }
    },
  };
}
