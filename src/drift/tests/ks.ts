// Two-sample Kolmogorov–Smirnov test for numeric features: D from the exact ECDFs (numeric/),
// the p-value as SciPy's ks_2samp computes it (ks-pvalue.ts); W1 and PSI reported beside it.

import type { PlannedFeature } from '../feature-plan.js';
import { baseFeature, markCannotTest, plural, r12 } from '../feature-result.js';
import { ksTwoSamplePValue } from '../ks-pvalue.js';
import {
  compareSorted,
  type NumericComparison,
  type NumericSideSummary,
  readAndSortColumns,
  SortPool,
} from '../numeric/index.js';
import { driftPhase } from '../phase-log.js';
import { numericPlotFromValues } from '../plot-data.js';
import type { FeatureResult, Quantiles, SideStats } from '../types.js';
import { type ComparisonContext, columnError, type DriftTest } from './drift-test.js';

/**
 * Values held at once (8 bytes each) across the features being read, sorted and compared:
 * features are read in batches of at most this many values, and the next batch is read while
 * earlier ones sort unless that would hold more.
 */
const MAX_VALUES_IN_FLIGHT = 2 ** 26;

export const ksTest: DriftTest<'ks'> = {
  name: 'ks',
  kind: 'numeric',
  effectMeasure: 'ks_d',
  effectLabel: 'D',
  describeStatistic: (statistic, _f, { num, compact }) => `${compact ? 'D' : 'KS D'} ${num(statistic, 4)}`,
  async compare(context, features) {
    const pool = new SortPool({ threads: context.threads });
    try {
      return await compareAll(context, features, pool);
    } finally {
      await pool.close();
    }
  },
};

/** Consecutive features whose two snapshots' values fit the in-flight budget (at least one). */
function batches(
  features: readonly PlannedFeature[],
  rows: { train: number; prod: number },
): PlannedFeature[][] {
  const size = Math.max(1, Math.floor(MAX_VALUES_IN_FLIGHT / Math.max(1, rows.train + rows.prod)));
  const out: PlannedFeature[][] = [];
  for (let i = 0; i < features.length; i += size) out.push(features.slice(i, i + size));
  return out;
}

/**
 * Read the features batch by batch (one scan of each snapshot per batch; DuckDB's scan uses every
 * core) while the sort pool sorts what was read; each feature is finished as soon as both its
 * sides are sorted.
 */
async function compareAll(
  context: ComparisonContext,
  features: readonly PlannedFeature[],
  pool: SortPool,
): Promise<FeatureResult[]> {
  const { settings } = context;
  const options = { psiBins: settings.psi_bins, psiEpsilon: settings.psi_epsilon, pool };
  const results: Promise<FeatureResult>[] = [];
  const inFlight: { done: Promise<unknown>; values: number }[] = [];
  let held = 0;
  const perFeature = context.rows.train + context.rows.prod;
  for (const batch of batches(features, context.rows)) {
    while (inFlight.length > 0 && held + batch.length * perFeature > MAX_VALUES_IN_FLIGHT) {
      const oldest = inFlight.shift()!;
      await oldest.done.catch(() => undefined);
      held -= oldest.values;
    }
    const columns = batch.map((p) => p.name);
    const sorting = await readAndSortColumns(context, columns, pool).catch((error) => {
      throw columnError(columns.length === 1 ? columns[0]! : columns.join('", "'), error);
    });
    driftPhase(`read ${columns.length} numeric columns`);
    batch.forEach((p, i) => {
      const sides = sorting[i]!;
      const result = compareSorted(sides, options).then(
        ({ comparison, train, prod }) => {
          const f = numericResult(p, comparison);
          context.numericPlots?.set(p.name, numericPlotFromValues(f, train, prod));
          driftPhase(`compared ${p.name}`);
          return f;
        },
        (error) => {
          throw columnError(p.name, error);
        },
      );
      result.catch(() => undefined);
      results.push(result);
      inFlight.push({ done: result, values: sides.values });
      held += sides.values;
    });
  }
  return Promise.all(results);
}

function quantileRecord(values: number[] | null): Quantiles | null {
  if (!values) return null;
  // Same order as QUANTILE_PERCENTS.
  const [p01, p25, p50, p75, p99] = values as [number, number, number, number, number];
  return { p01, p25, p50, p75, p99 };
}

function sideStats(s: NumericSideSummary, type: string | null): SideStats {
  const nulls = s.nulls + s.nan;
  return {
    type,
    rows: s.rows,
    nulls,
    null_rate: nulls / s.rows,
    count: s.finite + s.negInf + s.posInf,
    infinite: s.negInf + s.posInf,
    mean: r12(s.mean),
    std: r12(s.std),
    min: s.min,
    max: s.max,
    quantiles: quantileRecord(s.quantiles),
  };
}

function numericResult(p: PlannedFeature, cmp: NumericComparison): FeatureResult {
  const f = baseFeature(p, sideStats(cmp.train, p.typeTrain), sideStats(cmp.prod, p.typeProd));
  f.test = 'ks';
  f.effect_measure = 'ks_d';
  const std = cmp.train.std;
  const normalised = cmp.wasserstein !== null && std !== null && std > 0 ? cmp.wasserstein / std : null;
  const location = cmp.ks?.location ?? null;
  f.numeric = {
    // JSON has no ±Infinity: a D reached at an infinite value has no location (a note says why).
    statistic_location: location !== null && Number.isFinite(location) ? location : null,
    statistic_sign: cmp.ks?.sign ?? null,
    wasserstein: r12(cmp.wasserstein),
    wasserstein_normalized: r12(normalised),
    psi: cmp.psi,
  };
  if (cmp.ks) {
    const ks = ksTwoSamplePValue(f.train.count, f.prod.count, cmp.ks.d);
    f.statistic = ks.statistic;
    f.pvalue = ks.pvalue;
    f.method = ks.method;
    f.effect = ks.statistic;
  } else {
    markCannotTest(f);
  }
  f.notes.push(...numericNotes(p, cmp, f, normalised));
  return f;
}

function numericNotes(
  p: PlannedFeature,
  cmp: NumericComparison,
  f: FeatureResult,
  normalised: number | null,
): string[] {
  const notes: string[] = [];
  if (cmp.constant) {
    notes.push(
      `constant on both sides (train ${cmp.train.min}, prod ${cmp.prod.min}): D is well defined, ` +
        `${cmp.ks?.d === 0 ? '0 as the constants agree' : '1 as the constants differ'}`,
    );
  }
  if (cmp.wasserstein !== null && normalised === null) {
    notes.push('training values are constant: Wasserstein-1 is not normalised');
  }
  const infinite = (f.train.infinite ?? 0) + (f.prod.infinite ?? 0);
  if (infinite > 0) {
    notes.push(
      `${plural(infinite, 'infinite value')} (train ${f.train.infinite}, prod ${f.prod.infinite}) ordered as ±∞ ` +
        'in the KS test and PSI, left out of mean, std, quantiles and Wasserstein-1',
    );
  }
  const location = cmp.ks?.location;
  if (location !== undefined && !Number.isFinite(location)) {
    notes.push(
      `D is reached at ${location > 0 ? '+' : '-'}∞: the two sides hold different shares of ${location > 0 ? '+' : '-'}Infinity values`,
    );
  }
  const nan = cmp.train.nan + cmp.prod.nan;
  if (nan > 0) notes.push(`${plural(nan, 'NaN value')} counted as missing, like NULL`);
  if (p.typeTrain !== p.typeProd)
    notes.push(`types differ but are both numeric: ${p.typeTrain} vs ${p.typeProd}`);
  return notes;
}
