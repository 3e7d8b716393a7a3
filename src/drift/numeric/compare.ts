// The exact empirical-CDF comparison of numeric features between two snapshots: each snapshot's
// columns read in one scan from DuckDB into typed arrays, each array sorted (on worker threads
// when large; see sort-pool.ts), then each feature compared in one merge walk (sorted-compare.ts).
// Sorting costs the same for distinct values, heavy ties and an identical copy: no slow case.
import type { Session } from '../../io/index.js';
import { readSideValues, type SideValues } from './side-values.js';
import type { SortPool } from './sort-pool.js';
import { compareSortedSides } from './sorted-compare.js';
import type { NumericComparison, NumericOptions } from './types.js';

export interface SideSource {
  session: Session;
  /** The `train` and `prod` relations (quoted SQL names). */
  relations: { train: string; prod: string };
  /** The snapshots' row counts. */
  rows: { train: number; prod: number };
}

/** Both sides of a column once sorted. */
export interface SortingSides {
  train: Promise<SideValues>;
  prod: Promise<SideValues>;
  /** Finite values held by the two sides (memory in flight: 8 bytes each). */
  values: number;
}

/**
 * Read `columns` of both snapshots (one scan each) and start sorting every array as soon as its
 * snapshot is read; resolves when the reads are done, with one entry per column.
 */
export async function readAndSortColumns(
  source: SideSource,
  columns: readonly string[],
  pool: SortPool,
): Promise<SortingSides[]> {
  const { session, relations, rows } = source;
  const read = async (side: 'train' | 'prod') =>
    (await readSideValues(session, relations[side], columns, rows[side])).map((values) => {
      const sorted = pool.sort(values.finite).then((finite): SideValues => ({ ...values, finite }));
      // Marked as handled now: the caller awaits it later, and an early failure must not go unhandled.
      sorted.catch(() => undefined);
      return { sorted, values: values.finite.length };
    });
  const train = await read('train');
  const prod = await read('prod');
  return columns.map((_, i) => ({
    train: train[i]!.sorted,
    prod: prod[i]!.sorted,
    values: train[i]!.values + prod[i]!.values,
  }));
}

/** Compare one numeric column between the two snapshots (reads, sorts and walks it). */
export async function compareNumericColumn(
  source: SideSource,
  column: string,
  options: NumericOptions & { pool: SortPool },
): Promise<NumericComparison> {
  const [sides] = await readAndSortColumns(source, [column], options.pool);
  return compareSortedSides(await sides!.train, await sides!.prod, options);
}
