// Builds ApiError bodies. Every 4xx/5xx the central API sends goes through here.
import type { ApiError } from '../../shared/contract/central-api';

export type ApiIssue = NonNullable<ApiError['issues']>[number];

export function apiError(error: string, message: string, issues?: ApiIssue[]): ApiError {
  return issues === undefined ? { error, message } : { error, message, issues };
}

/** "items.0.draft.offerId"; the root of the validated part is "(root)". */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

export function describeIssues(issues: readonly ApiIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}
