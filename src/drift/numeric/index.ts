// The exact numeric comparison of one feature between two snapshots (KS D, W1, quantiles, PSI,
// mean/std), computed in DuckDB by the bucketed ECDF engine of this folder.
export { type BucketTransform, type ColumnStats, chooseTransform, measureColumns } from './bucket-map.js';
export { compareNumericColumn, type NumericColumnInput } from './compare.js';
export type { KsStatistic, NumericComparison, NumericOptions, NumericSideSummary } from './types.js';
export { QUANTILE_PERCENTS } from './types.js';
