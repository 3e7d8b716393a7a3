// Defaults, option checks and the decisions of a drift run: per-feature verdicts, the dataset
// gate, and the severity order of the report.
import { UsageError } from '../errors.js';
import { CORRECTIONS, type Correction } from './multiple-testing.js';
import type { DriftOptions, DriftSettings, DriftSummary, FeatureResult, MaxDrifted } from './types.js';

/**
 * alpha 0.05: the conventional significance level. Benjamini–Hochberg: a run tests many features
 * (and their null rates) at once, and controlling the false discovery rate keeps power while
 * stopping noise from flagging "a few drifted features" on every run. min effect 0.1 for KS D
 * (and for the total variation between category shares): with millions of rows any shift is significant, so a
 * feature must also have moved by 10 percentage points of probability mass to count. Null-rate
 * change 0.05: five points of rows going missing is a pipeline problem worth failing on.
 */
export const DRIFT_DEFAULTS = {
  alpha: 0.05,
  correction: 'bh' as Correction,
  minEffect: 0.1,
  minNullChange: 0.05,
  maxDrifted: { count: 0 } as MaxDrifted,
  psiBins: 10,
  /** Share given to an empty PSI bin so that ln(p/q) stays finite. */
  psiEpsilon: 1e-4,
};

function fraction(value: number, flag: string, { open }: { open: boolean }): number {
  const ok = Number.isFinite(value) && (open ? value > 0 && value < 1 : value >= 0 && value <= 1);
  if (!ok)
    throw new UsageError(
      `${flag} must be a number ${open ? 'between 0 and 1' : 'from 0 to 1'}, got ${value}`,
    );
  return value;
}

export function checkAlpha(value: number): number {
  return fraction(value, '--alpha', { open: true });
}

export function checkEffect(value: number, flag: string): number {
  return fraction(value, flag, { open: false });
}

export function parseCorrection(value: string): Correction {
  const v = value.toLowerCase() as Correction;
  if (!CORRECTIONS.includes(v)) {
    throw new UsageError(`--correction must be one of ${CORRECTIONS.join(', ')}, got "${value}"`);
  }
  return v;
}

/** `--max-drifted`: a count of features ("2") or a share of the tested ones ("10%"). */
export function parseMaxDrifted(text: string): MaxDrifted {
  const t = text.trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(t);
  if (percent) {
    const share = Number(percent[1]) / 100;
    if (share > 1) throw new UsageError(`--max-drifted cannot exceed 100%, got "${text}"`);
    return { share };
  }
  if (/^\d+$/.test(t)) return { count: Number(t) };
  throw new UsageError(
    `--max-drifted must be a whole number of features or a percentage like 10%, got "${text}"`,
  );
}

export function describeGate(gate: MaxDrifted): string {
  return 'count' in gate ? `at most ${gate.count}` : `at most ${Number((gate.share * 100).toPrecision(6))}%`;
}

/** Significant after correction and large enough to matter. */
export function isDrift(
  pAdjusted: number | null,
  effect: number | null,
  alpha: number,
  minEffect: number,
): boolean {
  return pAdjusted !== null && effect !== null && pAdjusted < alpha && effect >= minEffect;
}

/** Whether the number of drifted features exceeds the gate. */
export function exceedsGate(
  summary: Pick<DriftSummary, 'drifted' | 'drifted_share'>,
  gate: MaxDrifted,
): boolean {
  return 'count' in gate ? summary.drifted > gate.count : summary.drifted_share > gate.share;
}

const SCHEMA_STATUSES = new Set(['type_mismatch', 'only_train', 'only_prod']);

export function isSchemaMismatch(f: FeatureResult): boolean {
  return SCHEMA_STATUSES.has(f.status);
}

function group(f: FeatureResult): number {
  if (isSchemaMismatch(f)) return 0;
  if (f.drift) return 1;
  if (f.status === 'cannot_test') return 2;
  if (f.status === 'tested') return 3;
  return 4;
}

/** The smallest adjusted p-value of the feature's tests (for ordering). */
function strongestEvidence(f: FeatureResult): number {
  const ps = [f.pvalue_adjusted, f.null_rate.pvalue_adjusted].filter((p): p is number => p !== null);
  return ps.length > 0 ? Math.min(...ps) : 2;
}

/** Schema problems, then drifted (strongest evidence, then largest effect), cannot test, tested, skipped. */
export function compareSeverity(a: FeatureResult, b: FeatureResult): number {
  return (
    group(a) - group(b) ||
    strongestEvidence(a) - strongestEvidence(b) ||
    (b.effect ?? -1) - (a.effect ?? -1) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/** The settings of a run from its options: defaults filled in, each value checked. */
export function resolveSettings(options: DriftOptions): DriftSettings {
  const alpha = checkAlpha(options.alpha ?? DRIFT_DEFAULTS.alpha);
  const minEffect = checkEffect(options.minEffect ?? DRIFT_DEFAULTS.minEffect, '--min-effect');
  const minNullChange = checkEffect(
    options.minNullChange ?? DRIFT_DEFAULTS.minNullChange,
    '--min-null-change',
  );
  const psiBins = options.psiBins ?? DRIFT_DEFAULTS.psiBins;
  if (!Number.isInteger(psiBins) || psiBins < 2)
    throw new UsageError(`PSI needs at least 2 bins, got ${psiBins}`);
  return {
    alpha,
    correction: options.correction ?? DRIFT_DEFAULTS.correction,
    min_effect: minEffect,
    min_null_change: minNullChange,
    max_drifted: options.maxDrifted ?? DRIFT_DEFAULTS.maxDrifted,
    psi_bins: psiBins,
    psi_epsilon: DRIFT_DEFAULTS.psiEpsilon,
    categorical: [...(options.categorical ?? [])].sort(),
    excluded: [...(options.exclude ?? [])].sort(),
  };
}
