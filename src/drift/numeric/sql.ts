// SQL helpers shared by the numeric ECDF engine: exact DOUBLE literals, both snapshots' values of
// one column, and column-wise reads of a query result.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Session } from '../../io/index.js';
import { quoteIdent } from '../../io/index.js';

/** A DOUBLE literal that parses back to exactly `x` (exponent form: DuckDB reads plain decimals as DECIMAL). */
export function literal(x: number): string {
  if (Number.isNaN(x)) return "'NaN'::DOUBLE";
  if (!Number.isFinite(x)) return x > 0 ? "'Infinity'::DOUBLE" : "'-Infinity'::DOUBLE";
  return `(${x.toExponential()})::DOUBLE`;
}

/** Both snapshots' values of one column as (v DOUBLE, s 1|2). */
export function unionSource(relations: { train: string; prod: string }, column: string): string {
  const c = quoteIdent(column);
  return (
    `SELECT CAST(${c} AS DOUBLE) AS v, 1::UTINYINT AS s FROM ${relations.train} ` +
    `UNION ALL SELECT CAST(${c} AS DOUBLE) AS v, 2::UTINYINT AS s FROM ${relations.prod}`
  );
}

export async function columns(session: Session, sql: string): Promise<DuckDBValue[][]> {
  const reader = await session.connection.runAndReadAll(sql);
  return reader.getColumns();
}
