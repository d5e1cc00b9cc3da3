// Example bodies of the model registry's routes in the OpenAPI document, typed by the contract.
import type { ModelChangeResponse, ModelMonitoringReport, ModelVersionSummary } from '../../shared/contract/model-registry';

export const modelVersion: ModelVersionSummary = {
  modelId: 'book-gbdt-2026-12-01',
  status: 'champion',
  algo: 'gbdt',
  registeredAt: '2026-12-01T02:00:00.000Z',
  registeredBy: 'admin01',
  statusChangedAt: '2026-12-01T02:05:00.000Z',
  trainingRows: 20000,
  trainingChurnRate: 0.168,
  features: ['tenure_months', 'monthly_fee', 'complaints_30d', 'network_issues_90d', 'contract_days_left', 'plan_code'],
  metrics: { auc: 0.83, brier: 0.11, topDecileLift: 3.4 },
};

export const modelChange: ModelChangeResponse = { champion: 'book-gbdt-2026-12-01', replaced: 'book-gbdt-2026-11-01', bundleVersion: 7 };

export const modelReport: ModelMonitoringReport = {
  generatedAt: '2026-12-07T01:00:00.000Z',
  horizonDays: 90,
  minimumChurned: 20,
  driftThreshold: 0.2,
  champion: modelVersion,
  challenger: { ...modelVersion, modelId: 'book-gbdt-2026-12-05', status: 'challenger', statusChangedAt: '2026-12-05T02:00:00.000Z' },
  months: [
    {
      month: '2026-08',
      customers: 18650,
      churned: 702,
      windowClosed: true,
      enough: true,
      auc: 0.81,
      topDecileLift: 3.1,
      brier: 0.034,
      calibration: [{ decile: 10, customers: 1865, meanPredicted: 0.14, observedRate: 0.12 }],
    },
  ],
  warningPrecision: [
    {
      month: '2026-08',
      customers: 18650,
      churned: 702,
      levels: [
        {
          level: 'red',
          target: 0.7,
          trainingPrecision: 0.71,
          customers: 310,
          churned: 81,
          precision: 0.26,
          customersAtOrAbove: 310,
          churnedAtOrAbove: 81,
          precisionAtOrAbove: 0.26,
          recall: 0.12,
          farBelowTarget: true,
        },
      ],
      unwarnedCustomers: 14200,
      unwarnedChurned: 398,
    },
  ],
  driftComputedAt: '2026-12-07T00:40:00.000Z',
  driftCustomers: 18210,
  drift: [
    { feature: 'complaints_30d', psi: 0.27, flagged: true },
    { feature: 'tenure_months', psi: 0.01, flagged: false },
  ],
  shadow: { modelId: 'book-gbdt-2026-12-05', customers: 1830, churned: 12, enough: false, championAuc: null, challengerAuc: null },
};
