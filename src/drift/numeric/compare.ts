// The exact empirical-CDF comparison of numeric features between two snapshots: each snapshot's
// columns read in one scan from DuckDB into typed arrays, each array sorted and summarised (on
// worker threads when large; see sort-pool.ts), then each feature compared in one merge walk
// (sorted-compare.ts), also on a worker. Sorting costs the same for distinct values, heavy ties
// and an identical copy: no slow case.
import type { Session } from '../../io/index.js';
import { readSideValues } from './side-values.js';
import type { SortPool } from './sort-pool.js';
import { comparable, comparison } from './sorted-compare.js';
import type { NumericComparison, NumericOptions, SideValues, SortedSide } from './types.js';

export interface SideSource {
  session: Session;
  /** The `train` and `prod` relations (quoted SQL names). */
  relations: { train: string; prod: string };
  /** The snapshots' row counts. */
  rows: { train: number; prod: number };
  /** Production is the training snapshot's file, byte for byte: its values are read once. */
  sameFile?: boolean;
}

/** Both sides of a column once sorted and summarised. */
export interface SortingSides {
  train: Promise<SortedSide>;
  prod: Promise<SortedSide>;
  /** Finite values held by the two sides (memory in flight: 8 bytes each). */
  values: number;
}

/** A column compared, with both sides' sorted values (for the charts). */
export interface ComparedColumn {
  comparison: NumericComparison;
  train: SideValues;
  prod: SideValues;
}

/**
 * Read `columns` of both snapshots (one scan each) and start sorting every array as soon as its
 * snapshot is read; resolves when the reads are done, with one entry per column. Production read
 * from the training snapshot's very bytes is not read again: both sides share one sorted array.
 */
export async function readAndSortColumns(
  source: SideSource,
  columns: readonly string[],
  pool: SortPool,
): Promise<SortingSides[]> {
  const { session, relations, rows } = source;
  const read = async (side: 'train' | 'prod') =>
    (await readSideValues(session, relations[side], columns, rows[side])).map((values) => {
      const sorted = pool.side(values);
      // Marked as handled now: the caller awaits it later, and an early failure must not go unhandled.
      sorted.catch(() => undefined);
      return { sorted, values: values.finite.length };
    });
  const train = await read('train');
  if (source.sameFile) return train.map(({ sorted, values }) => ({ train: sorted, prod: sorted, values }));
  const prod = await read('prod');
  return columns.map((_, i) => ({
    train: train[i]!.sorted,
    prod: prod[i]!.sorted,
    values: train[i]!.values + prod[i]!.values,
  }));
}

/** Walk a column's two sorted sides (on the pool) into its comparison. */
export async function compareSorted(
  sides: SortingSides,
  options: NumericOptions & { pool: SortPool },
): Promise<ComparedColumn> {
  const [train, prod] = await Promise.all([sides.train, sides.prod]);
  if (!comparable(train.values, prod.values))
    return { comparison: comparison(train, prod, null), train: train.values, prod: prod.values };
  const { pool, psiBins, psiEpsilon } = options;
  const walked = await pool.walk(train.values, prod.values, { psiBins, psiEpsilon });
  const back = (side: SortedSide, values: SideValues): SortedSide => ({ values, summary: side.summary });
  return {
    comparison: comparison(back(train, walked.train), back(prod, walked.prod), walked.walk),
    train: walked.train,
    prod: walked.prod,
  };
}

/** Compare one numeric column between the two snapshots (reads, sorts and walks it). */
export async function compareNumericColumn(
  source: SideSource,
  column: string,
  options: NumericOptions & { pool: SortPool },
): Promise<NumericComparison> {
  const [sides] = await readAndSortColumns(source, [column], options.pool);
  return (await compareSorted(sides!, options)).comparison;
}
