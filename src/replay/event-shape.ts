// Events as the user's module sees them, built from decoded columns: the one piece of reading
// that also runs in the replay workers (which have no DuckDB).

export interface EventBatch {
  events: Record<string, unknown>[];
  /** Event time of each event, epoch milliseconds. */
  times: Float64Array;
  length: number;
}

/** How to build events from decoded columns: their names, and which hold times (epoch ms → Date). */
export interface EventShape {
  names: string[];
  dates: boolean[];
}

/**
 * Builds `(cols, r) => ({ "a": cols[0][r], ... })`: a fixed-shape literal is far faster than
 * assignment. Time columns arrive as epoch ms and become Dates here.
 */
export function eventFactory(
  shape: EventShape,
): (columns: unknown[][], r: number) => Record<string, unknown> {
  const body = shape.names
    .map(
      (n, i) =>
        `${JSON.stringify(n)}: ${shape.dates[i] ? `c[${i}][r] === null ? null : new Date(c[${i}][r])` : `c[${i}][r]`}`,
    )
    .join(', ');
  return new Function('c', 'r', `return { ${body} };`) as (
    c: unknown[][],
    r: number,
  ) => Record<string, unknown>;
}
