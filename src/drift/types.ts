// The drift result: plain, JSON-serialisable data (snake_case fields, see
// schema/drift-result.schema.json), and the options of `runDrift`.

import type { Format } from '../io/index.js';
import type { Correction } from './multiple-testing.js';
import type { DriftPlots } from './plot-types.js';
import type { EffectMeasure, TestName } from './test-names.js';

export type { EffectMeasure, TestName };

/** Kinds of feature a distribution test applies to. */
export type ComparedKind = 'numeric' | 'categorical';
export type FeatureKind = ComparedKind | 'temporal' | 'unsupported';

/**
 * tested: a distribution test ran; cannot_test: a side has no non-missing values (only the
 * null-rate test ran); skipped: temporal or unsupported type, not tested; type_mismatch,
 * only_train, only_prod: the snapshots disagree on the schema (fails the gate).
 */
export type FeatureStatus =
  | 'tested'
  | 'cannot_test'
  | 'skipped'
  | 'type_mismatch'
  | 'only_train'
  | 'only_prod';

export type PValueMethod = 'exact' | 'asymp';

export interface Quantiles {
  p01: number;
  p25: number;
  p50: number;
  p75: number;
  p99: number;
}

export interface SideStats {
  /** DuckDB type of the column in this snapshot, null when absent. */
  type: string | null;
  rows: number;
  /** Rows whose value is missing: NULL, or NaN in a floating-point column. */
  nulls: number;
  null_rate: number;
  /** Values the test used (non-missing; ±Infinity included for numeric features). */
  count: number;
  // numeric features
  infinite?: number;
  mean?: number | null;
  std?: number | null;
  min?: number | null;
  max?: number | null;
  quantiles?: Quantiles | null;
  // categorical features
  categories?: number;
}

export interface NullRateResult {
  train: number;
  prod: number;
  /** prod - train */
  change: number;
  z: number | null;
  pvalue: number | null;
  pvalue_adjusted: number | null;
  drift: boolean;
}

export interface CategoryList {
  values: string[];
  /** How many there are in all (values holds at most the first few, sorted). */
  count: number;
}

export interface FeatureResult {
  name: string;
  kind: FeatureKind;
  status: FeatureStatus;
  test: TestName | null;
  /** KS D (numeric) or the chi-square statistic (categorical). */
  statistic: number | null;
  pvalue: number | null;
  /** After the multiple-testing correction; the verdict compares this with alpha. */
  pvalue_adjusted: number | null;
  method: PValueMethod | null;
  /** Degrees of freedom of the chi-square test. */
  dof: number | null;
  /** The effect size the verdict gates on: KS D, or the total variation between category shares. */
  effect: number | null;
  effect_measure: EffectMeasure | null;
  /** Distribution drift or null-rate drift. */
  drift: boolean;
  distribution_drift: boolean;
  null_rate_drift: boolean;
  train: SideStats;
  prod: SideStats;
  null_rate: NullRateResult;
  numeric: {
    /** Where |F_train - F_prod| = D, and its sign: +1 when prod tends to larger values. */
    statistic_location: number | null;
    statistic_sign: 1 | -1 | null;
    wasserstein: number | null;
    /** W1 divided by the training standard deviation; null when that is 0 or undefined. */
    wasserstein_normalized: number | null;
    psi: number | null;
  } | null;
  categorical: {
    js_distance: number | null;
    /** ½ Σ |train share - prod share| over categories: the effect the verdict gates on. */
    total_variation: number | null;
    linf: number | null;
    new_categories: CategoryList;
    vanished_categories: CategoryList;
    top_shifts: { category: string; train_share: number; prod_share: number }[];
  } | null;
  notes: string[];
}

export interface SnapshotInfo {
  source: string;
  format: Format;
  rows: number;
}

export type MaxDrifted = { count: number } | { share: number };

export interface DriftSettings {
  alpha: number;
  correction: Correction;
  min_effect: number;
  min_null_change: number;
  max_drifted: MaxDrifted;
  psi_bins: number;
  psi_epsilon: number;
  categorical: string[];
  excluded: string[];
}

export interface DriftSummary {
  features: number;
  /** Features on which at least one test ran (distribution or null rate). */
  tested: number;
  drifted: number;
  /** drifted / tested (0 when nothing was tested). */
  drifted_share: number;
  distribution_drifted: number;
  null_rate_drifted: number;
  cannot_test: number;
  skipped: number;
  /** Features missing on one side or typed differently: each fails the gate. */
  schema_mismatches: number;
  /** Hypotheses in the multiple-testing family (distribution and null-rate tests). */
  tests: number;
}

export interface DriftResult {
  schema_version: 1;
  command: 'drift';
  verdict: 'pass' | 'fail';
  /** Why the verdict is fail; empty on pass. */
  reasons: string[];
  snapshots: { train: SnapshotInfo; prod: SnapshotInfo };
  settings: DriftSettings;
  summary: DriftSummary;
  /** Most severe first: schema mismatches, drifted, cannot test, tested, skipped. */
  features: FeatureResult[];
  notes: string[];
  /** Aggregated chart data for the HTML report. */
  plots?: DriftPlots;
  /**
   * Drift over time (`--by`): production tested chunk by chunk against the training snapshot.
   * `features` then holds each feature's result in the first chunk where it drifted (or, if it
   * never did, in the chunk with the strongest evidence).
   */
  chunks?: DriftChunks;
}

export interface ChunkSeries {
  name: string;
  test: TestName | null;
  effect_measure: EffectMeasure | null;
  /** Per chunk, in the order of `DriftChunks.keys` (null where the feature was not tested). */
  statistic: (number | null)[];
  pvalue_adjusted: (number | null)[];
  effect: (number | null)[];
  null_rate: number[];
  drift: boolean[];
  /** The first chunk in which the feature drifted, null when it never did. */
  first_drift: string | null;
}

export interface DriftChunks {
  /** How production was chunked: by file, by day or week of a time column, or by a column's values. */
  by: 'file' | 'day' | 'week' | 'column';
  /** The time column (day, week) or the chunk column (column); null for file. */
  column: string | null;
  /** Chunk labels in order: file paths, ISO dates (the week's Monday), or column values. */
  keys: string[];
  rows: number[];
  /** Production rows left out because their chunk key is NULL. */
  unassigned_rows: number;
  features: ChunkSeries[];
}

export interface DriftOptions {
  trainPath: string;
  prodPath: string;
  /** Format of both snapshots when their extensions do not say. */
  format?: Format;
  /** Only these columns (each must exist in both snapshots). */
  features?: string[];
  exclude?: string[];
  /** Columns to compare as categories even though they are numeric. */
  categorical?: string[];
  alpha?: number;
  correction?: Correction;
  minEffect?: number;
  minNullChange?: number;
  maxDrifted?: MaxDrifted;
  psiBins?: number;
  /** DuckDB memory limit, e.g. '1GB'. */
  memoryLimit?: string;
  threads?: number;
}

export interface DriftOverTimeOptions extends DriftOptions {
  /** Chunk production by 'file', 'day', 'week' (of `time`), or by the values of the column named. */
  by: string;
  /** The time column for day and week (default: the only date/time column of production). */
  time?: string;
}
