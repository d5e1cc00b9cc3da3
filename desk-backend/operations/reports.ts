// Supervisor reports: asked of the central API, the last answer kept for when it cannot be reached.
import type { Role } from '../../shared/contract/central-api';
import type { ReportQuery } from '../../shared/contract/supervisor-reports';
import { fetchOrCached } from '../cached-fetch';
import type { DeskContext, HandlersFor } from './desk-context';

const REPORT_ROLES: readonly Role[] = ['supervisor', 'admin'];

/** Cached answers belong to the user who asked (a supervisor sees only their team's report). */
const reportKey = (report: string, agentId: string, query: ReportQuery) => JSON.stringify([report, agentId, query.from, query.to, query.team ?? null]);

export function reportOperations({ now, stores, sessions }: DeskContext): HandlersFor<'reports/retention' | 'reports/outcomes' | 'reports/models'> {
  const requireReportRole = () => sessions.requireRole(REPORT_ROLES, 'reports are for supervisors and admins');
  return {
    'reports/retention': async (query) => {
      const { session, runtime } = requireReportRole();
      const { value, cachedAt } = await fetchOrCached(stores.retentionReports, reportKey('retention', session.agentId, query), now, () =>
        runtime.api.retentionReport(query),
      );
      return { report: value, cachedAt };
    },
    'reports/outcomes': async (query) => {
      const { session, runtime } = requireReportRole();
      const { value, cachedAt } = await fetchOrCached(stores.outcomeReports, reportKey('outcomes', session.agentId, query), now, () =>
        runtime.api.outcomeReport(query),
      );
      return { report: value, cachedAt };
    },
    'reports/models': async (query) => {
      const { session, runtime } = requireReportRole();
      const key = JSON.stringify(['models', session.agentId, query.driftThreshold ?? null]);
      const { value, cachedAt } = await fetchOrCached(stores.modelReports, key, now, () => runtime.api.modelReport(query));
      return { report: value, cachedAt };
    },
  };
}
