// Events as the user's module sees them, built from decoded columns: the one piece of reading
// that also runs in the replay workers (which have no DuckDB). Columns cross from the main
// thread to a worker as typed arrays (transferred, not copied) wherever they can: numbers and
// times as doubles, BIGINTs as 64-bit integers, repeated strings as codes into a dictionary sent
// once. Only the remaining columns travel as arrays of JS values.

export interface EventBatch {
  events: Record<string, unknown>[];
  /** Event time of each event, epoch milliseconds. */
  times: Float64Array;
  length: number;
}

/**
 * How to build events from decoded columns: their names, which hold times (epoch ms → Date),
 * and for columns read as codes, the strings the codes stand for.
 */
export interface EventShape {
  names: string[];
  dates: boolean[];
  dictionaries: (readonly string[] | null)[];
}

/** One column of one batch; `nulls[r]` is 1 where row r is NULL (absent: no NULL in the batch). */
export type WireColumn =
  | { kind: 'numbers'; values: Float64Array; nulls?: Uint8Array }
  | { kind: 'bigints'; values: BigInt64Array; nulls?: Uint8Array }
  /** Index into the column's dictionary; -1 is NULL. */
  | { kind: 'codes'; codes: Int32Array }
  | { kind: 'values'; values: unknown[] };

/** The buffers to transfer (not copy) when posting `columns` to another thread. */
export function transferables(columns: readonly WireColumn[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const column of columns) {
    if (column.kind === 'codes') out.push(column.codes.buffer as ArrayBuffer);
    else if (column.kind !== 'values') {
      out.push(column.values.buffer as ArrayBuffer);
      if (column.nulls) out.push(column.nulls.buffer as ArrayBuffer);
    }
  }
  return out;
}

/**
 * Each column as something indexable by row: the typed array itself when it has no NULL, else
 * the values expanded into `scratch` (reused between batches; one array per column).
 */
export function columnArrays(
  columns: readonly WireColumn[],
  n: number,
  shape: EventShape,
  scratch: unknown[][],
): ArrayLike<unknown>[] {
  return columns.map((column, c) => {
    if (column.kind === 'values') return column.values;
    if (column.kind !== 'codes' && !column.nulls) return column.values;
    scratch[c] ??= [];
    const out = scratch[c];
    if (column.kind === 'codes') {
      const dictionary = shape.dictionaries[c]!;
      const codes = column.codes;
      for (let r = 0; r < n; r++) {
        const code = codes[r]!;
        out[r] = code < 0 ? null : dictionary[code];
      }
    } else {
      const { values, nulls } = column;
      for (let r = 0; r < n; r++) out[r] = nulls![r] ? null : values[r];
    }
    return out;
  });
}

/**
 * Builds `(cols, r) => ({ "a": cols[0][r], ... })`: a fixed-shape literal is far faster than
 * assignment. Time columns arrive as epoch ms and become Dates here.
 */
export function eventFactory(
  shape: Pick<EventShape, 'names' | 'dates'>,
): (columns: ArrayLike<unknown>[], r: number) => Record<string, unknown> {
  const body = shape.names
    .map(
      (n, i) =>
        `${JSON.stringify(n)}: ${shape.dates[i] ? `c[${i}][r] === null ? null : new Date(c[${i}][r])` : `c[${i}][r]`}`,
    )
    .join(', ');
  return new Function('c', 'r', `return { ${body} };`) as (
    c: ArrayLike<unknown>[],
    r: number,
  ) => Record<string, unknown>;
}

/** The events of one batch. */
export function eventsOf(
  columns: readonly WireColumn[],
  n: number,
  shape: EventShape,
  build: { makeRow: ReturnType<typeof eventFactory>; scratch: unknown[][] },
): Record<string, unknown>[] {
  const arrays = columnArrays(columns, n, shape, build.scratch);
  const events = new Array<Record<string, unknown>>(n);
  for (let r = 0; r < n; r++) events[r] = build.makeRow(arrays, r);
  return events;
}
