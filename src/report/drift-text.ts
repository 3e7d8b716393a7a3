// Words and numbers of a drift result shared by the Markdown, JUnit and HTML renderers (plain
// text: each renderer escapes it for its format).
import type { DriftPlots } from '../drift/plot-types.js';
import { DRIFT_TESTS } from '../drift/tests/index.js';
import type { DriftResult, FeatureResult } from '../drift/types.js';
import { describeGate, isSchemaMismatch } from '../drift/verdict.js';
import { int, num, percent } from './format.js';

/** A drift result, with the aggregated plot data when it was computed. */
export type DriftReport = DriftResult & { plots?: DriftPlots };

export const CORRECTION_NAMES = { bh: 'Benjamini–Hochberg', bonferroni: 'Bonferroni', none: 'no correction' };

export { describeGate, isSchemaMismatch };

export function pText(p: number | null): string {
  if (p === null) return '–';
  if (p < 1e-300) return '<1e-300';
  return num(p, 3);
}

/** One or two words: DRIFT, NULL RATE, DRIFT + NULLS, ok, skipped, cannot test, … */
export function verdictLabel(f: FeatureResult): string {
  switch (f.status) {
    case 'type_mismatch':
      return 'TYPE MISMATCH';
    case 'only_train':
      return 'ONLY IN TRAIN';
    case 'only_prod':
      return 'ONLY IN PROD';
    case 'skipped':
      return 'skipped';
    default:
      if (f.distribution_drift && f.null_rate_drift) return 'DRIFT + NULLS';
      if (f.distribution_drift) return 'DRIFT';
      if (f.null_rate_drift) return 'NULL RATE';
      if (f.status === 'cannot_test') return 'cannot test';
      return 'ok';
  }
}

/** The feature fails the gate: drift, or missing on a side, or typed differently. */
export function isFailingDriftFeature(f: FeatureResult): boolean {
  return f.drift || isSchemaMismatch(f);
}

/** `compact` (the terminal table): "BIGINT≠VARCHAR" rather than "BIGINT ≠ VARCHAR". */
export function typeText(f: FeatureResult, compact = false): string {
  const differ = compact ? '≠' : ' ≠ ';
  const type =
    f.status === 'type_mismatch'
      ? `${f.train.type}${differ}${f.prod.type}`
      : (f.train.type ?? f.prod.type ?? '');
  return `${f.kind} (${type})`;
}

/** `compact` (the terminal table, whose column says "statistic"): "D 0.31" rather than "KS D 0.31". */
export function statisticText(f: FeatureResult, compact = false): string {
  if (f.statistic === null || f.test === null) return '–';
  return DRIFT_TESTS[f.test].describeStatistic(f.statistic, f, { num, compact });
}

export function pAdjustedText(f: FeatureResult): string {
  if (f.pvalue_adjusted === null) return '–';
  return `${pText(f.pvalue_adjusted)}${f.method === 'exact' ? ' (exact)' : ''}`;
}

export function effectText(f: FeatureResult): string {
  const parts: string[] = [];
  if (f.effect !== null && f.test !== null)
    parts.push(`${DRIFT_TESTS[f.test].effectLabel} ${num(f.effect, 3)}`);
  const n = f.numeric;
  if (n?.wasserstein_normalized !== null && n?.wasserstein_normalized !== undefined)
    parts.push(`W1/σ ${num(n.wasserstein_normalized, 3)}`);
  if (n?.psi !== null && n?.psi !== undefined) parts.push(`PSI ${num(n.psi, 3)}`);
  const c = f.categorical;
  if (c?.js_distance !== null && c?.js_distance !== undefined) parts.push(`JS ${num(c.js_distance, 3)}`);
  return parts.length > 0 ? parts.join(' · ') : '–';
}

/** `compact` (the terminal table): "(p<1e-300)" rather than "(p <1e-300)". */
export function nullsText(f: FeatureResult, compact = false): string {
  if (f.status === 'only_train' || f.status === 'only_prod') return '–';
  const rates = `${percent(f.train.null_rate)} → ${percent(f.prod.null_rate)}`;
  const p = f.null_rate.pvalue_adjusted;
  if (p === null) return rates;
  const shown = pText(p);
  return `${rates} (p${compact && shown.startsWith('<') ? '' : ' '}${shown})`;
}

export function countsText(f: FeatureResult): string {
  if (f.status === 'only_train') return `${int(f.train.count)} / –`;
  if (f.status === 'only_prod') return `– / ${int(f.prod.count)}`;
  return `${int(f.train.count)} / ${int(f.prod.count)}`;
}

/** Why a failing feature fails, in one line with its numbers. */
export function driftMessage(f: FeatureResult): string {
  if (f.status === 'type_mismatch') return `${f.name} is ${f.train.type} in train and ${f.prod.type} in prod`;
  if (f.status === 'only_train') return `${f.name} is only in the training snapshot`;
  if (f.status === 'only_prod') return `${f.name} is only in the production snapshot`;
  const parts: string[] = [];
  if (f.distribution_drift) {
    parts.push(`distribution drift: ${statisticText(f)}, p adj. ${pAdjustedText(f)}, ${effectText(f)}`);
  }
  if (f.null_rate_drift) parts.push(`null rate ${nullsText(f)}`);
  return parts.join('; ');
}

/** The move of a numeric feature's median and quartiles, e.g. "median 12.3 → 20.1". */
export function shiftText(f: FeatureResult): string | null {
  const t = f.train.quantiles;
  const p = f.prod.quantiles;
  if (!t || !p) return null;
  return `median ${num(t.p50, 4)} → ${num(p.p50, 4)}, IQR ${num(t.p25, 4)}–${num(t.p75, 4)} → ${num(p.p25, 4)}–${num(p.p75, 4)}`;
}

/** The settings of the tests: alpha, correction, effect floors. */
export function testSettingsText(result: DriftResult): string {
  const s = result.settings;
  return (
    `alpha ${s.alpha} · ${CORRECTION_NAMES[s.correction]} over ${result.summary.tests} tests · ` +
    `min effect ${s.min_effect} (KS D, TV) · min null-rate change ${s.min_null_change}`
  );
}

/** The settings of the tests and the gate. */
export function settingsText(result: DriftResult): string {
  return `${testSettingsText(result)} · gate: ${describeGate(result.settings.max_drifted)} drifted`;
}

/** The verdict in one line with the numbers (no Markdown/HTML). */
export function driftHeadline(result: DriftResult): { verdict: string; detail: string } {
  const s = result.summary;
  const drifted = result.features.filter((f) => f.drift);
  if (result.verdict === 'pass') {
    const within = drifted.length > 0 ? `; ${int(drifted.length)} drifted, within the gate` : '';
    return { verdict: 'no drift beyond the gate', detail: `${int(s.tested)} features tested${within}` };
  }
  const parts: string[] = [];
  if (drifted.length > 0)
    parts.push(`${int(s.drifted)} of ${int(s.tested)} tested features drifted (${percent(s.drifted_share)})`);
  if (s.schema_mismatches > 0)
    parts.push(`${int(s.schema_mismatches)} missing on a side or typed differently`);
  return { verdict: 'drift found', detail: parts.join(' · ') };
}
