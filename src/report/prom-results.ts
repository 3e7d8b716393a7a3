// The Prometheus metrics of each result kind (see prom.ts for the format). Labels: `check` (the
// check's name in `skewcheck check`, else the command's name), `command`, and per feature
// `feature`; values from the data are escaped by prom.ts.
import type { CheckRunResult } from '../check/types.js';
import type { DiffResult } from '../diff/index.js';
import type { DriftReport } from './drift-text.js';
import { type Labels, MetricSet } from './prom.js';
import type { RenderOptions, RunTiming } from './types.js';

const RUN_STATUSES = ['pass', 'fail'] as const;
const CHECK_STATUSES = ['pass', 'fail', 'baselined', 'error', 'skipped'] as const;

function addStatus(metrics: MetricSet, run: Labels, statuses: readonly string[], status: string): void {
  for (const s of statuses) metrics.add('skewcheck_status', { ...run, status: s }, s === status ? 1 : 0);
}

function addTiming(metrics: MetricSet, run: Labels, timing: RunTiming | undefined, seconds?: number): void {
  if (!timing) return;
  metrics.add('skewcheck_last_run_timestamp_seconds', run, timing.finishedAt);
  metrics.add('skewcheck_run_duration_seconds', run, seconds);
}

function addDiff(metrics: MetricSet, run: Labels, result: DiffResult): void {
  const { left, right } = result.sides;
  // The sides' labels (batch/stream) when they tell the sides apart, else left/right.
  const [l, r] = left.label !== right.label ? [left.label, right.label] : ['left', 'right'];
  const s = result.summary;
  metrics.add('skewcheck_rows', { ...run, side: l }, left.rows);
  metrics.add('skewcheck_rows', { ...run, side: r }, right.rows);
  metrics.add('skewcheck_compared_rows', run, s.windows);
  metrics.add('skewcheck_mismatched_rows', run, s.mismatched);
  metrics.add('skewcheck_missing_rows', { ...run, side: l }, s.only_left);
  metrics.add('skewcheck_missing_rows', { ...run, side: r }, s.only_right);
  metrics.add('skewcheck_duplicate_rows', run, s.duplicates);
  metrics.add('skewcheck_mismatch_ratio', run, s.mismatch_rate);
  for (const f of result.features) {
    const labels = { ...run, feature: f.name };
    metrics.add('skewcheck_feature_mismatched_rows', labels, f.mismatches);
    metrics.add('skewcheck_feature_mismatch_ratio', labels, f.mismatch_rate);
  }
  for (const d of result.diagnoses ?? []) {
    metrics.add('skewcheck_diagnosis_rows', { ...run, cause: d.code, tier: d.tier }, d.rows);
  }
}

type DriftFeature = DriftReport['features'][number];

/** Effect sizes besides the one the test gates on (named by the result's `effect_measure`). */
const MORE_EFFECTS = [
  ['wasserstein_normalized', (f) => f.numeric?.wasserstein_normalized],
  ['psi', (f) => f.numeric?.psi],
  ['js_distance', (f) => f.categorical?.js_distance],
] as const satisfies readonly [string, (f: DriftFeature) => number | null | undefined][];

function addEffects(metrics: MetricSet, labels: Labels, f: DriftFeature): void {
  const gating: string | null = f.effect_measure;
  if (gating !== null) metrics.add('skewcheck_drift_effect', { ...labels, measure: gating }, f.effect);
  for (const [measure, effect] of MORE_EFFECTS) {
    if (measure !== gating) metrics.add('skewcheck_drift_effect', { ...labels, measure }, effect(f));
  }
}

function addDrift(metrics: MetricSet, run: Labels, result: DriftReport): void {
  const { train, prod } = result.snapshots;
  metrics.add('skewcheck_rows', { ...run, side: 'train' }, train.rows);
  metrics.add('skewcheck_rows', { ...run, side: 'prod' }, prod.rows);
  metrics.add('skewcheck_tested_features', run, result.summary.tested);
  metrics.add('skewcheck_drifted_features', run, result.summary.drifted);
  for (const f of result.features) {
    const labels = { ...run, feature: f.name };
    if (f.test !== null) {
      const tested = { ...labels, test: f.test };
      metrics.add('skewcheck_drift_statistic', tested, f.statistic);
      metrics.add('skewcheck_drift_pvalue', tested, f.pvalue);
      metrics.add('skewcheck_drift_pvalue_adjusted', tested, f.pvalue_adjusted);
    }
    addEffects(metrics, labels, f);
    metrics.add('skewcheck_drift_detected', labels, f.drift ? 1 : 0);
    if (f.train.type !== null)
      metrics.add('skewcheck_null_ratio', { ...labels, side: 'train' }, f.train.null_rate);
    if (f.prod.type !== null)
      metrics.add('skewcheck_null_ratio', { ...labels, side: 'prod' }, f.prod.null_rate);
  }
}

export function renderDiffProm(result: DiffResult, options: RenderOptions): string {
  const metrics = new MetricSet();
  const run = { check: result.command, command: result.command };
  addTiming(metrics, run, options.run, options.run?.durationSeconds);
  addStatus(metrics, run, RUN_STATUSES, result.verdict);
  addDiff(metrics, run, result);
  return metrics.toString();
}

export function renderDriftProm(result: DriftReport, options: RenderOptions): string {
  const metrics = new MetricSet();
  const run = { check: 'drift', command: 'drift' };
  addTiming(metrics, run, options.run, options.run?.durationSeconds);
  addStatus(metrics, run, RUN_STATUSES, result.verdict);
  addDrift(metrics, run, result);
  return metrics.toString();
}

/** Each check's metrics under its name, and the count of checks by status. */
export function renderCheckProm(result: CheckRunResult, options: RenderOptions): string {
  const metrics = new MetricSet();
  const counts = new Map<string, number>(CHECK_STATUSES.map((s) => [s, 0]));
  for (const c of result.checks) {
    counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
    const run = { check: c.name, command: c.kind };
    const ms = options.durations?.get(c.name);
    addTiming(metrics, run, options.run, c.status === 'skipped' || ms === undefined ? undefined : ms / 1000);
    addStatus(metrics, run, CHECK_STATUSES, c.status);
    if (c.result?.command === 'drift') addDrift(metrics, run, c.result);
    else if (c.result) addDiff(metrics, run, c.result);
  }
  for (const [status, n] of counts) metrics.add('skewcheck_checks', { status }, n);
  return metrics.toString();
}
