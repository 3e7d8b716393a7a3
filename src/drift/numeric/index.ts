// The numeric ECDF engine: read, sort and compare one numeric feature between two snapshots.
export { compareNumericColumn, readAndSortColumns } from './compare.js';
export type { SideValues } from './side-values.js';
export { SortPool } from './sort-pool.js';
export { compareSortedSides, lowerBound, upperBound } from './sorted-compare.js';
export type { NumericComparison, NumericSideSummary } from './types.js';
