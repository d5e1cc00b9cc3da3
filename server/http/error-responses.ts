// The error statuses routes answer with, listed in route schemas so OpenAPI shows them: each one
// an ApiError with what it means and an example body an integrator can match on.
import { ApiError } from '../../shared/contract/central-api';

const documentedError = (description: string, example: ApiError) => ApiError.meta({ description, examples: [example] });

export const badRequest = documentedError('The query string or body does not match the schema; `issues` names each field.', {
  error: 'invalid_body',
  message: 'Invalid request body: items.0.extra: unknown field',
  issues: [{ path: 'items.0.extra', message: 'unknown field' }],
});
export const unauthorized = documentedError('No valid credentials: the token is missing, invalid or expired.', {
  error: 'unauthorized',
  message: 'Token expired; log in again',
});
export const forbidden = documentedError("The caller's role may not use this operation.", {
  error: 'forbidden',
  message: "Role 'agent' may not use this endpoint (allowed: supervisor, admin)",
});
export const internalError = documentedError('A fault on the server; the request may be retried.', {
  error: 'internal',
  message: 'Internal server error',
});

/** What a route open to every signed-in role may answer: its input refused, or no valid token. */
export const signedInErrorResponses = { 400: badRequest, 401: unauthorized, 500: internalError } as const;

/** What a route behind a bearer token and a check of the role may answer. */
export const errorResponses = { ...signedInErrorResponses, 403: forbidden } as const;

/** What a route that takes a JSON body may answer besides: a body too large, or not JSON. */
export const bodyErrorResponses = {
  413: documentedError('The body is larger than the server accepts (1 MiB).', { error: 'body_too_large', message: 'Request body is too large' }),
  415: documentedError('The body is not sent as application/json.', {
    error: 'unsupported_media_type',
    message: 'Unsupported Media Type: text/plain',
  }),
} as const;
