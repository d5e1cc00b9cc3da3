// Turns every failure into an ApiError body: schema violations and unparsable bodies are 400s
// that name the offending fields, other client errors keep their status, and only real server
// faults become 500 (logged, with a generic message).
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { apiError, describeIssues, issuePath, type ApiIssue } from './api-error';

const PART_NAMES: Record<string, string> = { body: 'request body', querystring: 'query string', params: 'path parameters', headers: 'headers' };

/** Fastify's own 4xx codes (bad JSON, wrong media type, body too large) as short error names. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
};

interface ValidationEntry {
  instancePath: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** One issue per offending field; an unknown key is reported at its own path ("items.0.extra"). */
function issuesFromValidation(validation: readonly ValidationEntry[]): ApiIssue[] {
  return validation.flatMap((v) => {
    const segments = v.instancePath.split('/').filter(Boolean);
    const unknownKeys = v.keyword === 'unrecognized_keys' && Array.isArray(v.params?.keys) ? v.params.keys.map(String) : [];
    if (unknownKeys.length > 0) return unknownKeys.map((key) => ({ path: issuePath([...segments, key]), message: 'unknown field' }));
    return [{ path: issuePath(segments), message: v.message ?? 'invalid value' }];
  });
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const part = error.validationContext ?? 'body';
      const issues = issuesFromValidation(error.validation);
      const code = part === 'querystring' ? 'invalid_query' : `invalid_${part}`;
      return reply.code(400).send(apiError(code, `Invalid ${PART_NAMES[part] ?? part}: ${describeIssues(issues)}`, issues));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
      return reply.code(500).send(apiError('internal', 'The server produced an invalid response'));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const name = FASTIFY_CODES[error.code] ?? 'bad_request';
      const message = name === 'invalid_json' ? `Request body is not valid JSON: ${error.message}` : error.message;
      return reply.code(status).send(apiError(name, message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(apiError('internal', 'Internal server error'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(apiError('not_found', `No route ${request.method} ${request.url.split('?')[0]}`));
  });
}
