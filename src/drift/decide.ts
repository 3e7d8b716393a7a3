// The decisions of a drift run once every feature is compared: null-rate tests, one
// multiple-testing family over all tests of the run, per-feature verdicts, the summary counts and
// the reasons the gate fails.
import { adjustPValues } from './multiple-testing.js';
import { compareNullRates } from './null-rate.js';
import type { DriftSettings, DriftSummary, FeatureResult } from './types.js';
import { describeGate, exceedsGate, isDrift, isSchemaMismatch } from './verdict.js';

/** Null-rate z-tests, for every feature that was compared. */
export function testNullRates(features: FeatureResult[]): void {
  for (const f of features) {
    if (f.status !== 'tested' && f.status !== 'cannot_test') continue;
    const cmp = compareNullRates(f.train.nulls, f.train.rows, f.prod.nulls, f.prod.rows);
    f.null_rate = { ...cmp, pvalue_adjusted: null, drift: false };
  }
}

/**
 * One multiple-testing family: every distribution test and every null-rate test of the run.
 * Sets each adjusted p-value; returns the size of the family.
 */
export function adjustFamily(features: FeatureResult[], correction: DriftSettings['correction']): number {
  const family: { p: number; set: (adjusted: number) => void }[] = [];
  for (const f of features) {
    if (f.pvalue !== null) family.push({ p: f.pvalue, set: (a) => (f.pvalue_adjusted = a) });
    const nr = f.null_rate;
    if (nr.pvalue !== null) family.push({ p: nr.pvalue, set: (a) => (nr.pvalue_adjusted = a) });
  }
  const adjusted = adjustPValues(
    family.map((t) => t.p),
    correction,
  );
  family.forEach((t, i) => {
    t.set(adjusted[i]!);
  });
  return family.length;
}

/** Drift: significant after correction and at least the effect floor, per test. */
export function decideFeatures(features: FeatureResult[], settings: DriftSettings): void {
  for (const f of features) {
    f.distribution_drift = isDrift(f.pvalue_adjusted, f.effect, settings.alpha, settings.min_effect);
    f.null_rate.drift = isDrift(
      f.null_rate.pvalue_adjusted,
      Math.abs(f.null_rate.change),
      settings.alpha,
      settings.min_null_change,
    );
    f.null_rate_drift = f.null_rate.drift;
    f.drift = f.distribution_drift || f.null_rate_drift;
  }
}

export function summarise(features: FeatureResult[], tests: number): DriftSummary {
  const tested = features.filter((f) => f.pvalue !== null || f.null_rate.pvalue !== null).length;
  const drifted = features.filter((f) => f.drift).length;
  return {
    features: features.length,
    tested,
    drifted,
    drifted_share: tested > 0 ? drifted / tested : 0,
    distribution_drifted: features.filter((f) => f.distribution_drift).length,
    null_rate_drifted: features.filter((f) => f.null_rate_drift).length,
    cannot_test: features.filter((f) => f.status === 'cannot_test').length,
    skipped: features.filter((f) => f.status === 'skipped').length,
    schema_mismatches: features.filter(isSchemaMismatch).length,
    tests,
  };
}

/** Why the verdict is fail: too many drifted features, and each schema mismatch. */
export function failureReasons(
  features: FeatureResult[],
  summary: DriftSummary,
  settings: DriftSettings,
): string[] {
  const reasons: string[] = [];
  if (exceedsGate(summary, settings.max_drifted)) {
    const names = features.filter((f) => f.drift).map((f) => f.name);
    reasons.push(
      `${summary.drifted} of ${summary.tested} tested features drifted (${names.join(', ')}); the gate allows ${describeGate(settings.max_drifted)}`,
    );
  }
  for (const f of features.filter(isSchemaMismatch)) {
    reasons.push(
      f.status === 'type_mismatch'
        ? `"${f.name}" has a different type in each snapshot (${f.train.type} vs ${f.prod.type})`
        : `"${f.name}" is only in the ${f.status === 'only_train' ? 'training' : 'production'} snapshot`,
    );
  }
  return reasons;
}
