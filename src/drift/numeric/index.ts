// The exact numeric comparison of one feature between two snapshots (KS D, W1, quantiles, PSI,
// mean/std), computed in DuckDB by the bucketed ECDF engine of this folder.
export { type ColumnStats, chooseTransform, measureColumns } from './bucket-map.js';
export { compareNumericColumn } from './compare.js';
export type { NumericComparison, NumericSideSummary } from './types.js';
