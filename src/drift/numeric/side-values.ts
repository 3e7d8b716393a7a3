// One snapshot's values of numeric columns, read in one scan from DuckDB into typed arrays: per
// column, the finite values (to be sorted) and the counts of NULL, NaN and ±Infinity beside them.
import type { DuckDBVector } from '@duckdb/node-api';
import { DuckDBDoubleVector } from '../../io/duckdb.js';
import { quoteIdent, type Session } from '../../io/index.js';
import type { SideValues } from './types.js';

export type { SideValues } from './types.js';

/**
 * The doubles of a chunk's vector, NULL as NaN, and whether it holds any NULL. This version of the
 * DuckDB client keeps the vector's data in a typed array and a NULL-free vector without a validity
 * mask: both are read directly when present (one copy per chunk instead of a call per value).
 */
function chunkItems(vector: DuckDBVector, rows: number): { items: Float64Array; nulls: boolean } {
  const inner = vector as unknown as { items?: unknown; validity?: { data?: unknown } };
  if (
    vector instanceof DuckDBDoubleVector &&
    inner.items instanceof Float64Array &&
    inner.items.length === rows
  ) {
    if (inner.validity?.data === null) return { items: inner.items, nulls: false };
  }
  const items = new Float64Array(rows);
  for (let i = 0; i < rows; i++) items[i] = (vector.getItem(i) as number | null) ?? Number.NaN;
  return { items, nulls: true };
}

class SideBuilder {
  readonly finite: Float64Array;
  at = 0;
  nulls = 0;
  nan = 0;
  negInf = 0;
  posInf = 0;
  constructor(readonly rows: number) {
    this.finite = new Float64Array(rows);
  }

  add(vector: DuckDBVector, n: number): void {
    const { items, nulls } = chunkItems(vector, n);
    const finite = this.finite;
    let at = this.at;
    for (let i = 0; i < n; i++) {
      const x = items[i]!;
      // x - x is 0 exactly for finite x, NaN for NaN and ±Infinity.
      if (x - x === 0) finite[at++] = x;
      else if (x > 0) this.posInf++;
      else if (x < 0) this.negInf++;
      else if (nulls && vector.getItem(i) === null) this.nulls++;
      else this.nan++;
    }
    this.at = at;
  }

  build(): SideValues {
    const { rows, nulls, nan, negInf, posInf } = this;
    return { rows, nulls, nan, negInf, posInf, finite: this.finite.subarray(0, this.at) };
  }
}

/** Read `columns` of `relation` (which has `rows` rows) as doubles, in one streamed scan. */
export async function readSideValues(
  session: Session,
  relation: string,
  columns: readonly string[],
  rows: number,
): Promise<SideValues[]> {
  const result = await session.connection.stream(
    `SELECT ${columns.map((c) => `CAST(${quoteIdent(c)} AS DOUBLE)`).join(', ')} FROM ${relation}`,
  );
  const sides = columns.map(() => new SideBuilder(rows));
  let read = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    read += n;
    if (read > rows) throw new Error(`${relation} returned more than its ${rows} rows`);
    sides.forEach((side, i) => {
      side.add(chunk.getColumnVector(i), n);
    });
  }
  if (read !== rows) throw new Error(`${relation} returned ${read} rows, not its ${rows}`);
  return sides.map((s) => s.build());
}
