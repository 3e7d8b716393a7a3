// Exact DOUBLE literals for SQL built from computed values (the plot bins' edges).

/** A DOUBLE literal that parses back to exactly `x` (exponent form: DuckDB reads plain decimals as DECIMAL). */
export function literal(x: number): string {
  if (Number.isNaN(x)) return "'NaN'::DOUBLE";
  if (!Number.isFinite(x)) return x > 0 ? "'Infinity'::DOUBLE" : "'-Infinity'::DOUBLE";
  return `(${x.toExponential()})::DOUBLE`;
}
