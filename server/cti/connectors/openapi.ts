// Responses every connector route documents alike.
import { ApiError } from '../../../shared/contract/central-api';

export const unknownAgentResponse = ApiError.meta({
  description: "No enabled user is mapped to the event's agent: set the user's external id (clm users set-external-id).",
  examples: [{ error: 'unknown_agent', message: "No enabled user has the external id 'genesys:5f2c9a1e-…': set it with clm users set-external-id" }],
});
