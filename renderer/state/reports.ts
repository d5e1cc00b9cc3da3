// The supervisor's reports (retention and outcomes) for one period and team.
import type { DeskFailure, DeskOutput } from '../../shared/contract/desk-api';
import { ReportQuery } from '../../shared/contract/supervisor-reports';
import { latestOnly, noteLoadFailure, type LoadStatus } from './list-load';
import { defaultReportQuery } from './report-period';
import type { SliceContext } from './slice-context';

export interface ReportList {
  status: LoadStatus;
  /** The period and team of the reports shown (or being loaded). */
  query: ReportQuery | null;
  retention: DeskOutput<'reports/retention'> | null;
  outcomes: DeskOutput<'reports/outcomes'> | null;
  error: DeskFailure | null;
}

export interface ReportsState {
  reports: ReportList;
}

export interface ReportsActions {
  /** Loads both supervisor reports; without a query, the last one shown or the default period (report-period.ts). */
  loadReports(query?: ReportQuery): Promise<void>;
}

export const NO_REPORTS: ReportsState = { reports: { status: 'idle', query: null, retention: null, outcomes: null, error: null } };

export function createReportsSlice(ctx: SliceContext): { actions: ReportsActions } {
  const { client, set, get, now } = ctx;
  const reportLoads = latestOnly();
  return {
    actions: {
      async loadReports(requested) {
        const query = requested ?? get().reports.query ?? defaultReportQuery(now());
        const checked = ReportQuery.safeParse(query);
        if (!checked.success) {
          const failure: DeskFailure = { code: 'bad_request', message: checked.error.issues.map((i) => i.message).join('; ') };
          set((s) => ({ reports: { ...s.reports, status: 'failed', query, error: failure } }));
          return;
        }
        set((s) => ({ reports: { ...s.reports, status: 'loading', query, error: null } }));
        await reportLoads(
          () => Promise.all([client.call('reports/retention', query), client.call('reports/outcomes', query)]),
          ([retention, outcomes]) => set({ reports: { status: 'done', query, retention, outcomes, error: null } }),
          (error) => {
            const failure = noteLoadFailure(ctx, error);
            set((s) => ({ reports: { ...s.reports, status: 'failed', error: failure } }));
          },
        );
      },
    },
  };
}
