// The numeric ECDF engine: read, sort and compare one numeric feature between two snapshots.
export { compareNumericColumn, compareSorted, readAndSortColumns } from './compare.js';
export { SortPool } from './sort-pool.js';
export { lowerBound, upperBound } from './sorted-compare.js';
export type { NumericComparison, NumericSideSummary, SideValues } from './types.js';
