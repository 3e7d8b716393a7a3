// The types of the numeric ECDF engine (one numeric feature compared between snapshots). A leaf
// module: the sort workers import it without loading DuckDB.

/** One snapshot's values of a numeric column: the finite values and the counts of the others. */
export interface SideValues {
  rows: number;
  /** SQL NULLs. */
  nulls: number;
  /** NaN values (missing, like NULL). */
  nan: number;
  negInf: number;
  posInf: number;
  /** The finite values; ascending once sorted (see sortFiniteValues). */
  finite: Float64Array;
}

/** Non-missing values: the finite ones and ±Infinity. */
export function valueCount(side: SideValues): number {
  return side.negInf + side.finite.length + side.posInf;
}

/** A side sorted and summarised (on a worker thread when large). */
export interface SortedSide {
  values: SideValues;
  /** Quantiles included whenever there are finite values. */
  summary: NumericSideSummary;
}

/** What the merge walk over both sorted sides gives. */
export interface WalkResult {
  ks: KsStatistic;
  wasserstein: number | null;
  psi: number | null;
  constant: boolean;
}

/** Summary quantile levels, as fractions num/100 (p01, p25, p50, p75, p99). */
export const QUANTILE_PERCENTS = [1, 25, 50, 75, 99] as const;

export interface NumericSideSummary {
  rows: number;
  /** SQL NULLs. */
  nulls: number;
  /** NaN values (counted as missing, like NULL). */
  nan: number;
  negInf: number;
  posInf: number;
  finite: number;
  /** Over finite values; std with ddof = 1. */
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  /** Inverse-ECDF quantiles of the finite values at QUANTILE_PERCENTS. */
  quantiles: number[] | null;
}

export interface KsStatistic {
  /** max |F_train - F_prod| over all non-missing values (±Infinity included), as SciPy computes it. */
  d: number;
  /** +1 when the maximum is F_train - F_prod (prod tends to larger values), -1 otherwise. */
  sign: 1 | -1;
  /** The value at which |F_train - F_prod| reaches D (the smallest such value). */
  location: number;
}

export interface NumericComparison {
  train: NumericSideSummary;
  prod: NumericSideSummary;
  /** Null when either side has no values to compare. */
  ks: KsStatistic | null;
  /** Wasserstein-1 between the finite values; null when a side has none. */
  wasserstein: number | null;
  psi: number | null;
  /** Both sides hold a single distinct value each. */
  constant: boolean;
}

export interface NumericOptions {
  psiBins: number;
  psiEpsilon: number;
}
