// The desk's lists, each loaded from one channel: counter search results, the agent's outbound
// queue and the supervisor's reports. Only the newest answer of each list is kept.
import type { DeskFailure, DeskOutput, OutboundQueue, SearchMatch } from '../../shared/contract/desk-api';
import { ReportQuery } from '../../shared/contract/reports';
import { failureOf, type DeskClient } from '../transport/desk-client';
import type { DeskState } from './desk-store';
import { defaultReportQuery } from './report-period';

export type LoadStatus = 'idle' | 'loading' | 'done' | 'failed';

export interface SearchState {
  status: LoadStatus;
  query: string;
  matches: SearchMatch[];
  truncated: boolean;
  error: DeskFailure | null;
}

export interface OutboundState {
  status: LoadStatus;
  queue: OutboundQueue | null;
  error: DeskFailure | null;
}

export interface ReportsState {
  status: LoadStatus;
  /** The period and team of the reports shown (or being loaded). */
  query: ReportQuery | null;
  retention: DeskOutput<'reports/retention'> | null;
  outcomes: DeskOutput<'reports/outcomes'> | null;
  error: DeskFailure | null;
}

export interface ListState {
  search: SearchState;
  outbound: OutboundState;
  reports: ReportsState;
}

export interface ListActions {
  searchCustomers(query: string): Promise<void>;
  loadOutboundQueue(): Promise<void>;
  /** Loads both supervisor reports; without a query, the last one shown or the last 30 days. */
  loadReports(query?: ReportQuery): Promise<void>;
}

export const EMPTY_LISTS: ListState = {
  search: { status: 'idle', query: '', matches: [], truncated: false, error: null },
  outbound: { status: 'idle', queue: null, error: null },
  reports: { status: 'idle', query: null, retention: null, outcomes: null, error: null },
};

interface SliceDeps {
  client: DeskClient;
  set: (patch: Partial<DeskState> | ((s: DeskState) => Partial<DeskState>)) => void;
  get: () => DeskState;
  noteFailure: (failure: DeskFailure) => void;
  now: () => Date;
}

/** Runs a load so that only the newest one of its kind writes its result. */
function latestOnly() {
  let seq = 0;
  return async <T>(load: () => Promise<T>, onDone: (value: T) => void, onFailed: (error: unknown) => void) => {
    const mine = ++seq;
    try {
      const value = await load();
      if (mine === seq) onDone(value);
    } catch (error) {
      if (mine === seq) onFailed(error);
    }
  };
}

export function createListSlices({ client, set, get, noteFailure, now }: SliceDeps): ListActions {
  const searches = latestOnly();
  const queues = latestOnly();
  const reportLoads = latestOnly();
  const fail = (error: unknown) => {
    const failure = failureOf(error);
    noteFailure(failure);
    return failure;
  };

  return {
    async searchCustomers(query) {
      const trimmed = query.trim();
      if (trimmed === '') return;
      set((s) => ({ search: { ...s.search, status: 'loading', query: trimmed, error: null } }));
      await searches(
        () => client.call('customer/search', { query: trimmed }),
        ({ matches, truncated }) => set({ search: { status: 'done', query: trimmed, matches, truncated, error: null } }),
        (error) => {
          const failure = fail(error);
          set({ search: { status: 'failed', query: trimmed, matches: [], truncated: false, error: failure } });
        },
      );
    },

    async loadOutboundQueue() {
      set((s) => ({ outbound: { ...s.outbound, status: 'loading', error: null } }));
      await queues(
        () => client.call('outbound/queue', {}),
        (queue) => set({ outbound: { status: 'done', queue, error: null } }),
        (error) => {
          const failure = fail(error);
          set((s) => ({ outbound: { ...s.outbound, status: 'failed', error: failure } }));
        },
      );
    },

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
          const failure = fail(error);
          set((s) => ({ reports: { ...s.reports, status: 'failed', error: failure } }));
        },
      );
    },
  };
}
