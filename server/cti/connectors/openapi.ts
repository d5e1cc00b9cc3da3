// Responses every connector route documents alike.
import type { z } from 'zod';
import { ApiError } from '../../../shared/contract/central-api';
import { badRequest, bodyErrorResponses, internalError, unauthorized } from '../../http/error-responses';

export const unknownAgentResponse = ApiError.meta({
  description: "No enabled user is mapped to the event's agent: set the user's external id (clm users set-external-id).",
  examples: [{ error: 'unknown_agent', message: "No enabled user has the external id 'genesys:5f2c9a1e-…': set it with clm users set-external-id" }],
});

/** A connector route's responses: its own 202, and when its credentials are refused (401) in words and by example. */
export function connectorResponses<T extends z.ZodType>(accepted: T, refused: { description: string; message: string }) {
  return {
    202: accepted,
    400: badRequest,
    401: unauthorized.meta({ description: refused.description, examples: [{ error: 'unauthorized', message: refused.message }] }),
    422: unknownAgentResponse,
    ...bodyErrorResponses,
    500: internalError,
  };
}
