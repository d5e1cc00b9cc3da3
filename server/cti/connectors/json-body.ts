// What an HTTP connector needs from a request body that plain Fastify parsing throws away: the
// exact bytes (a signature covers them) and a say in how a malformed body is counted.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CallEventSink } from './call-event-hub';

const rawBodies = new WeakMap<FastifyRequest, string>();

/**
 * In this plugin's scope only: JSON bodies are kept as received, and a body that is not JSON is
 * passed on as its text, so the route's schema refuses it after the credentials were checked
 * (an unauthenticated caller learns nothing, and the refusal is counted as a malformed event).
 */
export function keepRawJsonBodies(app: FastifyInstance, bodyLimit = 64 * 1024): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    const text = String(body);
    rawBodies.set(request, text);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(null, text);
    }
  });
}

/** The body exactly as it arrived ('' when the request had none). */
export const rawBodyOf = (request: FastifyRequest): string => rawBodies.get(request) ?? '';

/** A schema refusal as a reason to log: field paths and rules only, never the values given. */
export function validationProblems(error: Error & { validation?: readonly { instancePath?: string; keyword?: string }[] }): string {
  const entries = error.validation ?? [];
  if (entries.length === 0) return 'body: not a valid event';
  return entries
    .slice(0, 5)
    .map((entry) => `${entry.instancePath?.replace(/^\//, '').replaceAll('/', '.') || '(root)'}: ${entry.keyword ?? 'invalid'}`)
    .join('; ');
}

/** When the body failed the route's schema (attachValidation): counts it as malformed, then refuses it with the usual 400. */
export function refuseInvalidBody(request: FastifyRequest, sink: CallEventSink): void {
  if (!request.validationError) return;
  sink.malformed(validationProblems(request.validationError));
  throw request.validationError;
}
