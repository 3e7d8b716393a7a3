// Drift between a training and a production feature snapshot: KS, chi-square, PSI, W1, null rates.
export { CORRECTIONS } from './multiple-testing.js';
export { runDriftOverTime } from './over-time.js';
export { runDrift } from './run-drift.js';
export type {
  DriftOptions,
  DriftResult,
} from './types.js';
export { DRIFT_DEFAULTS, parseCorrection, parseMaxDrifted } from './verdict.js';
