// What the central API may write to its log: never a secret, never a whole personal number.
// Three layers, because each catches what the others cannot:
//  1. pino `redact` removes known secret fields by path (Authorization, X-CTI-Key, passwords, tokens);
//  2. the request serializer drops the `token` query parameter (the CTI WebSocket may carry it there);
//  3. every log line's string values pass through a masker for phone and ID numbers and JWTs,
//     wherever they hide (an error message quoting a row, a URL, a message text).
import type { FastifyServerOptions } from 'fastify';
import { maskIdNumber, maskPhone } from '../../shared/domain/masking';

export const REDACTED = '[redacted]';

const SECRET_KEYS = ['password', 'token', 'refreshToken', 'accessToken', 'authorization', 'cookie', 'x-cti-key', 'x-clm-connect-key', 'x-clm-signature'];
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-cti-key"]',
  'req.headers["x-clm-connect-key"]',
  'req.headers["x-clm-signature"]',
  'req.headers["sec-websocket-protocol"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [`["${key}"]`, `*["${key}"]`, `*.*["${key}"]`]),
];

const JWT = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g;
// Guards keep the masks off longer digit runs (order ids, timestamps) and off decimal fractions.
const ID_NUMBER = /(?<![\w.])(\d{17}[\dXx]|\d{15})(?!\w)/g;
const PHONE = /(?<![\w.])(\+?86)?(1[3-9]\d{9})(?!\w|\.\d)/g;
const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;

/** Masks personal numbers and JWTs in free text. */
export function maskSensitiveText(text: string): string {
  return text
    .replace(JWT, '[redacted-jwt]')
    .replace(ID_NUMBER, (id: string) => maskIdNumber(id))
    .replace(PHONE, (_match: string, prefix: string | undefined, phone: string) => `${prefix ?? ''}${maskPhone(phone)}`);
}

/** Masks inside the JSON string literals of one log line only, so numbers and structure stay valid JSON. */
export function maskLogLine(line: string): string {
  return line.replace(JSON_STRING, (literal) => maskSensitiveText(literal));
}

export interface LogDestination {
  write(line: string): void;
}

function withoutTokenParam(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const params = new URLSearchParams(url.slice(query + 1));
  for (const key of [...params.keys()]) if (SECRET_KEYS.includes(key.toLowerCase())) params.set(key, REDACTED);
  return `${url.slice(0, query)}?${params.toString()}`;
}

/** Fastify logger options: `info` logs every request, otherwise errors only. */
export function redactingLoggerOptions(verbose: boolean, destination: LogDestination = process.stdout): FastifyServerOptions['logger'] {
  return {
    level: verbose ? 'info' : 'error',
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: {
      req: (request: { method: string; url: string; ip?: string; socket?: { remotePort?: number } }) => ({
        method: request.method,
        url: withoutTokenParam(request.url),
        remoteAddress: request.ip,
      }),
    },
    stream: { write: (line: string) => destination.write(maskLogLine(line)) },
  };
}
