// Error statuses every route may answer with; listed in route schemas so OpenAPI shows them.
import { ApiError } from '../../shared/contract/central-api';

export const errorResponses = { 400: ApiError, 401: ApiError, 403: ApiError, 500: ApiError } as const;
