// Drift between a training and a production feature snapshot: KS, chi-square, PSI, W1, null rates.
export { adjustPValues, CORRECTIONS, type Correction } from './multiple-testing.js';
export { runDriftOverTime } from './over-time.js';
export { runDrift } from './run-drift.js';
export type {
  DriftChunks,
  DriftOptions,
  DriftOverTimeOptions,
  DriftResult,
  DriftSettings,
  DriftSummary,
  FeatureResult,
  FeatureStatus,
  MaxDrifted,
} from './types.js';
export { DRIFT_DEFAULTS, parseCorrection, parseMaxDrifted } from './verdict.js';
