// Building blocks of a FeatureResult shared by the tests and the reported-only features: the
// empty result, stable rounding of floating-point sums, and the words of the notes.
import type { PlannedFeature } from './feature-plan.js';
import type { FeatureResult, NullRateResult, SideStats } from './types.js';

/** Descriptive statistics built from parallel floating-point sums are rounded to 12 significant
 * digits so that the JSON is byte-identical across runs and thread counts. */
export function r12(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toPrecision(12));
}

function emptyNullRate(): NullRateResult {
  return { train: 0, prod: 0, change: 0, z: null, pvalue: null, pvalue_adjusted: null, drift: false };
}

/** A feature's result before any test ran: no statistic, no drift, no notes. */
export function baseFeature(plan: PlannedFeature, train: SideStats, prod: SideStats): FeatureResult {
  return {
    name: plan.name,
    kind: plan.kind,
    status: 'tested',
    test: null,
    statistic: null,
    pvalue: null,
    pvalue_adjusted: null,
    method: null,
    dof: null,
    effect: null,
    effect_measure: null,
    drift: false,
    distribution_drift: false,
    null_rate_drift: false,
    train,
    prod,
    null_rate: emptyNullRate(),
    numeric: null,
    categorical: null,
    notes: [],
  };
}

/** A side without non-missing values: only the null rate can be tested. */
export function markCannotTest(f: FeatureResult): void {
  f.status = 'cannot_test';
  const empty = f.train.count === 0 ? 'train' : 'prod';
  f.notes.push(`no non-missing values in ${empty}: the distribution cannot be tested (null rate still is)`);
}

export function plural(n: number, word: string): string {
  const many = word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`;
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

export function listText(list: { values: string[]; count: number }): string {
  const shown = list.values.map((v) => JSON.stringify(v)).join(', ');
  return list.count > list.values.length ? `${shown} and ${list.count - list.values.length} more` : shown;
}
