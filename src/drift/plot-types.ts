// The aggregated chart data of a drift result (computed by plot-data.ts, drawn by the HTML
// report): counts only, never raw rows.

export interface SideBins {
  /** Non-missing values (±Infinity included), as in the KS test. */
  n: number;
  /** Values below and above the range (so the ECDF starts and ends at the right height). */
  below: number;
  above: number;
  /** Values per bin: bin k covers [lo + k·width, lo + (k+1)·width), the last one closed. */
  counts: number[];
}

export interface NumericDriftPlot {
  feature: string;
  kind: 'numeric';
  /** The range shown: the 1st to 99th percentile of either snapshot, widened to the KS location. */
  lo: number;
  hi: number;
  width: number;
  /** One bin per integer value (lo and hi are then half-integers). */
  integer: boolean;
  train: SideBins;
  prod: SideBins;
  /** Where KS D is attained and the exact ECDF of each side there (D = |train - prod|). */
  ks: { x: number; train: number; prod: number } | null;
}

export interface CategoricalDriftPlot {
  feature: string;
  kind: 'categorical';
  /** Non-missing values per side. */
  train_n: number;
  prod_n: number;
  /** Distinct values over both snapshots. */
  distinct: number;
  /** The categories with the largest share on either side, that share first. */
  categories: { value: string; train: number; prod: number }[];
}

export type DriftFeaturePlot = NumericDriftPlot | CategoricalDriftPlot;

export interface DriftPlots {
  features: DriftFeaturePlot[];
}
