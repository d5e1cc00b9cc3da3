// The report on the churn models in production, for supervisors and admins (the models page).
import type { DeskFailure, DeskOutput } from '../../shared/contract/desk-api';
import { latestOnly, noteLoadFailure, type LoadStatus } from './list-load';
import type { SliceContext } from './slice-context';

export interface ModelReportLoad {
  status: LoadStatus;
  answer: DeskOutput<'reports/models'> | null;
  error: DeskFailure | null;
}

export interface ModelReportState {
  modelReport: ModelReportLoad;
}

export interface ModelReportActions {
  loadModelReport(): Promise<void>;
}

export const NO_MODEL_REPORT: ModelReportState = { modelReport: { status: 'idle', answer: null, error: null } };

export function createModelReportSlice(ctx: SliceContext): { actions: ModelReportActions } {
  const { client, set } = ctx;
  const loads = latestOnly();
  return {
    actions: {
      async loadModelReport() {
        set((s) => ({ modelReport: { ...s.modelReport, status: 'loading', error: null } }));
        await loads(
          () => client.call('reports/models', {}),
          (answer) => set({ modelReport: { status: 'done', answer, error: null } }),
          (error) => {
            const failure = noteLoadFailure(ctx, error);
            set((s) => ({ modelReport: { ...s.modelReport, status: 'failed', error: failure } }));
          },
        );
      },
    },
  };
}
