// Keeps the cached scoring bundle current: asks GET /scoring/bundle with the held version as
// If-None-Match (304: nothing to do), stores a new one, and refuses an invalid one with a warning
// while the desk keeps re-scoring with the bundle it had.
import type { ScoringBundleCache } from '../../db/cache/scoring-bundle-cache';
import { CentralApiError, type SessionApi } from '../central-api/central-api-client';

export type BundleRefresh = 'replaced' | 'unchanged' | 'none' | 'refused';

export async function refreshScoringBundle(
  api: Pick<SessionApi, 'scoringBundle'>,
  bundles: ScoringBundleCache,
  warn: (message: string) => void,
  signal?: AbortSignal,
): Promise<BundleRefresh> {
  let answer;
  try {
    answer = await api.scoringBundle(bundles.version(), signal);
  } catch (error) {
    // Only a bad body is settled here; being offline or refused is the caller's to report.
    if (!(error instanceof CentralApiError && error.kind === 'bad_response')) throw error;
    warn(`scoring bundle refused, keeping version ${bundles.version() ?? 'none'}: ${error.message}`);
    return 'refused';
  }
  if (answer.status === 'not_modified') return 'unchanged';
  if (answer.status === 'none') return 'none';
  bundles.replace(answer.bundle);
  return 'replaced';
}
