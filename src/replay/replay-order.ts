// Reads the log in replay order: event time, ties broken by every column (or an arrival order).
// Most logs are written in event-time order already; then sorting the whole log only to find it
// sorted costs seconds, and holds back the first event until the last one is sorted. So a cheap
// pass over the time column checks the stored order first: when no event's time is earlier than
// the one stored before it, the log is streamed as stored, and only the events that share their
// time with another (usually a fraction of a percent) are sorted, by DuckDB, and merged in at
// their place. The order the module sees is exactly the sorted order either way.
import { InputError } from '../errors.js';
import { JSDuckDBValueConverter } from '../io/duckdb.js';
import { quoteIdent, type Session, type Source } from '../io/index.js';
import {
  type ColumnBatch,
  createDictionaries,
  type Dictionaries,
  dropDictionaries,
  type EventReaderOptions,
  eventShape,
  type PlannedColumn,
  readPlan,
  streamColumns,
} from './event-reader.js';
import { type EventBatch, eventFactory, eventsOf, type WireColumn } from './event-shape.js';

/** The log as stored is in event-time order, but for the events at these times (epoch µs, ascending). */
export interface StoredOrder {
  ties: Float64Array;
}

/** Over this share of events at a shared time, sorting the log is cheaper than merging them in. */
const MAX_TIED_SHARE = 0.05;

/** The event time as epoch microseconds (exact in a double for ±285 years around 1970). */
function micros(timeType: string, time: string): string {
  return timeType === 'TIMESTAMP WITH TIME ZONE'
    ? `epoch_us(${time})`
    : `epoch_us(CAST(${time} AS TIMESTAMP))`;
}

/** The rows of the log with a time, each with the time of the row stored before it. */
function withPrevious(source: Source, time: string): string {
  return `SELECT ${time} AS t, lag(${time}) OVER () AS previous
    FROM ${quoteIdent(source.name)} AS src WHERE ${time} IS NOT NULL`;
}

/**
 * Whether the log as stored is in event-time order (no event earlier than the one stored before
 * it), and then the times several events share; undefined when the log must be sorted. One pass
 * in DuckDB over the time column.
 */
export async function storedOrder(
  session: Session,
  source: Source,
  timeColumn: string,
): Promise<StoredOrder | undefined> {
  const type = source.columns.find((c) => c.name === timeColumn)?.type;
  // Ties are matched by microsecond: a finer time could match two different times.
  if (!type || type === 'TIMESTAMP_NS') return undefined;
  const us = micros(type, 't');
  const { result, close } = await session.stream(
    `SELECT count(*) FILTER (WHERE previous > t) AS back, count(*) FILTER (WHERE previous = t) AS tied,
       count(*) AS n, max(abs(${us})) AS far,
       list(DISTINCT ${us} ORDER BY ${us}) FILTER (WHERE previous = t) AS ties
     FROM (${withPrevious(source, `src.${quoteIdent(timeColumn)}`)})`,
    { storedOrder: true },
  );
  let rows: Record<string, unknown>[];
  try {
    rows = await result.convertRowObjects(JSDuckDBValueConverter);
  } finally {
    close();
  }
  const { back, tied, n, far, ties } = rows[0]!;
  if (Number(back) > 0 || Number(tied) > MAX_TIED_SHARE * Number(n) || Number(far ?? 0) >= 2 ** 53) {
    return undefined;
  }
  return { ties: Float64Array.from(((ties as bigint[] | null) ?? []).map(Number)) };
}

export interface ReadOptions extends EventReaderOptions {
  /** The log is in event-time order as stored (`storedOrder`): read it so, merging the ties in. */
  stored?: StoredOrder;
}

function select(
  source: Source,
  plan: PlannedColumn[],
  options: ReadOptions,
  part: 'all' | 'stored' | 'ties',
) {
  const q = quoteIdent(options.timeColumn);
  const time = `src.${q}`;
  const type = source.columns.find((c) => c.name === options.timeColumn)?.type ?? 'TIMESTAMP';
  const filter = options.filter ? ` AND (${options.filter})` : '';
  const extra = part === 'all' ? '' : `, CAST(${micros(type, time)} AS DOUBLE) AS __us`;
  const tiesOnly =
    part === 'ties'
      ? ` AND ${micros(type, time)} IN (SELECT ${micros(type, 't')} FROM (${withPrevious(source, time)}) WHERE previous = t)`
      : '';
  const order = options.orderExpression ? `${options.orderExpression}, ${time}` : time;
  // Conversions run before the sort, in parallel, and make the sorted payload small. Ties in
  // the order column are broken by every converted column (ENUM codes sort like their strings).
  const sorted = part !== 'stored' ? `ORDER BY ${order}, ${plan.map((_, i) => i + 1).join(', ')}` : '';
  return `SELECT ${plan.map((c) => `${c.expression} AS ${quoteIdent(c.name)}`).join(', ')}${extra}
    FROM ${quoteIdent(source.name)} AS src
    WHERE ${time} IS NOT NULL${filter}${tiesOnly}
    ${sorted}`;
}

/** The log's columns in replay order, chunk by chunk (the dictionaries come from `createDictionaries`). */
export async function* readEventColumns(
  session: Session,
  source: Source,
  options: ReadOptions,
  dictionaries: Dictionaries,
): AsyncGenerator<ColumnBatch> {
  const { plan, timeIndex } = readPlan(source, options.timeColumn, dictionaries);
  if (!options.stored || options.orderExpression) {
    yield* streamColumns(session, select(source, plan, options, 'all'), { plan, timeIndex, extra: 0 });
    return;
  }
  // Both read the log in its stored order: the tied rows are found by the same pass as the check's.
  const read = { plan, timeIndex, extra: 1, storedOrder: true };
  const stored = streamColumns(session, select(source, plan, options, 'stored'), read);
  const tied =
    options.stored.ties.length > 0
      ? streamColumns(session, select(source, plan, options, 'ties'), read)
      : undefined;
  try {
    yield* mergeTies(stored, tied, options.stored.ties, source);
  } finally {
    await stored.return(undefined);
    await tied?.return(undefined);
  }
}

type Chunk = ColumnBatch & { extra: Float64Array[] };

function sliceColumn(column: WireColumn, from: number, to: number): WireColumn {
  switch (column.kind) {
    case 'codes':
      return { kind: 'codes', codes: column.codes.slice(from, to) };
    case 'values':
      return { kind: 'values', values: column.values.slice(from, to) };
    case 'numbers':
      return { kind: 'numbers', values: column.values.slice(from, to), nulls: column.nulls?.slice(from, to) };
    case 'bigints':
      return { kind: 'bigints', values: column.values.slice(from, to), nulls: column.nulls?.slice(from, to) };
  }
}

function slice(chunk: Chunk, from: number, to: number): ColumnBatch {
  if (from === 0 && to === chunk.n) return { n: chunk.n, times: chunk.times, columns: chunk.columns };
  return {
    n: to - from,
    times: chunk.times.slice(from, to),
    columns: chunk.columns.map((c) => sliceColumn(c, from, to)),
  };
}

function changedWhileRead(source: Source): InputError {
  return new InputError(
    `the event log ${source.path} was in event-time order when checked and is not any more while it is read: was it changed during the run?`,
    { file: source.path },
  );
}

/**
 * The stored rows, except those at a shared time, which come sorted from `tied` in their place:
 * when the first stored row at tie time T arrives, every sorted row at T is yielded instead.
 */
async function* mergeTies(
  stored: AsyncGenerator<Chunk>,
  tied: AsyncGenerator<Chunk> | undefined,
  ties: Float64Array,
  source: Source,
): AsyncGenerator<ColumnBatch> {
  let tie = 0;
  let previous = Number.NEGATIVE_INFINITY;
  let skipped = 0;
  let merged = 0;
  let pending: { chunk: Chunk; row: number } | undefined;
  /** The sorted rows at time `t`, from where the last call stopped. */
  async function* sortedAt(t: number): AsyncGenerator<ColumnBatch> {
    for (;;) {
      if (!pending) {
        const next = await tied!.next();
        if (next.done) return;
        pending = { chunk: next.value, row: 0 };
      }
      const { chunk, row } = pending;
      const us = chunk.extra[0]!;
      if (us[row]! < t) throw changedWhileRead(source);
      let end = row;
      while (end < chunk.n && us[end] === t) end++;
      if (end > row) yield slice(chunk, row, end);
      merged += end - row;
      if (end < chunk.n) {
        pending.row = end;
        return;
      }
      pending = undefined;
    }
  }
  for await (const chunk of stored) {
    const us = chunk.extra[0]!;
    let run = 0;
    for (let r = 0; r < chunk.n; r++) {
      const t = us[r]!;
      if (t < previous) throw changedWhileRead(source);
      while (tie < ties.length && ties[tie]! < t) tie++;
      if (tie < ties.length && ties[tie] === t) {
        if (run < r) yield slice(chunk, run, r);
        run = r + 1;
        skipped++;
        if (t !== previous) yield* sortedAt(t);
      }
      previous = t;
    }
    if (run < chunk.n) yield slice(chunk, run, chunk.n);
  }
  // Every row at a shared time was skipped once and merged in once.
  if (pending || (tied && !(await tied.next()).done) || skipped !== merged) throw changedWhileRead(source);
}

/**
 * Yields the events of `source` in replay order, in batches of up to one DuckDB chunk (2048
 * rows). Rows with a NULL time are skipped (they belong to no window); the caller counts them.
 */
export async function* readEvents(
  session: Session,
  source: Source,
  options: EventReaderOptions,
): AsyncGenerator<EventBatch> {
  const dictionaries = await createDictionaries(session, source);
  const stored =
    options.orderExpression === undefined
      ? await storedOrder(session, source, options.timeColumn)
      : undefined;
  const shape = eventShape(source, dictionaries);
  const build = { makeRow: eventFactory(shape), scratch: [] };
  try {
    const read = { ...options, stored };
    for await (const { n, times, columns } of readEventColumns(session, source, read, dictionaries)) {
      yield { events: eventsOf(columns, n, shape, build), times, length: n };
    }
  } finally {
    await dropDictionaries(session, dictionaries);
  }
}
