// The result of `skewcheck check`: one entry per check of the project config.
import type { DiffResult } from '../diff/index.js';
import type { DriftResult } from '../drift/index.js';

export type CheckKind = 'replay' | 'drift';
/** baselined: it found differences, all of them accepted in the baseline. */
export type CheckStatus = 'pass' | 'fail' | 'baselined' | 'error' | 'skipped';

export interface BaselineOutcome {
  /** Failures the baseline accepts. */
  accepted: string[];
  /** Failures the baseline does not cover, or covers at a lower rate. */
  new: string[];
  /** Baseline entries past their expiry date (each fails the check). */
  expired: string[];
}

export interface CheckEntry {
  name: string;
  kind: CheckKind;
  status: CheckStatus;
  /** One line with the numbers that matter. */
  headline: string;
  /** For error: what went wrong, as the command would have said it. */
  error?: string;
  /** For skipped: why. */
  skipped_reason?: string;
  baseline?: BaselineOutcome;
  result?: DiffResult | DriftResult;
}

export interface CheckRunResult {
  schema_version: 1;
  command: 'check';
  config: string;
  verdict: 'pass' | 'fail' | 'error';
  summary: {
    checks: number;
    passed: number;
    baselined: number;
    failed: number;
    errors: number;
    skipped: number;
  };
  checks: CheckEntry[];
  notes: string[];
}
