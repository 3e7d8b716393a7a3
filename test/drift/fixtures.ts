// Typed access to the SciPy-generated known answers in test/drift/fixtures/.
import { readFileSync } from 'node:fs';
import type { SampleSpec } from './sample-spec.js';

export interface NumericCase {
  name: string;
  train: SampleSpec;
  prod: SampleSpec;
  n_train: number;
  n_prod: number;
  missing_train: number;
  missing_prod: number;
  raw_statistic: number;
  statistic_sign: number;
  statistic: number;
  pvalue: number;
  method: 'exact' | 'asymp';
  wasserstein: number;
  psi: number;
  mean_train: number;
  std_train: number | null;
  mean_prod: number;
  std_prod: number | null;
  quantiles_train: number[];
  quantiles_prod: number[];
}

export interface KsFixtures {
  scipy_version: string;
  numeric_cases: NumericCase[];
  /** [n1, n2, d, pvalue, method, statistic] */
  ks_pvalue_grid: [number, number, number, number, 'exact' | 'asymp', number][];
  /** [n, x, sf] */
  kstwo_sf_grid: [number, number, number][];
  /** [n, x, sf] */
  smirnov_grid: [number, number, number][];
}

export interface CategoricalCase {
  name: string;
  train_counts: number[];
  prod_counts: number[];
  chi2: number;
  dof: number;
  pvalue: number;
  js_distance: number;
  linf: number;
  total_variation: number;
}

export interface EffectFixtures {
  categorical_cases: CategoricalCase[];
  /** [statistic, dof, sf] */
  chi2_sf_grid: [number, number, number][];
  ztest_cases: {
    nulls_train: number;
    rows_train: number;
    nulls_prod: number;
    rows_prod: number;
    z: number;
    pvalue: number;
  }[];
  adjustment_cases: { pvalues: number[]; bh: number[]; bonferroni: number[] }[];
}

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

export const ksFixtures = load<KsFixtures>('ks_fixtures.json');
export const effectFixtures = load<EffectFixtures>('effect_fixtures.json');

/** |actual - expected| <= rel·|expected| (or both below `floor`). */
export function closeRel(actual: number, expected: number, rel: number, floor = 0): boolean {
  if (actual === expected) return true;
  if (Math.abs(expected) <= floor && Math.abs(actual) <= floor) return true;
  return Math.abs(actual - expected) <= rel * Math.abs(expected);
}
