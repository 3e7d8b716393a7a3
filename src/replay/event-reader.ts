// Reads the event log out of DuckDB in event-time order, one columnar chunk at a time, and
// turns each row into a plain JS object for the user's module. This is the harness's hot path:
// DuckDB does the sort and type coercion (DECIMAL → DOUBLE, timestamps → epoch ms, repeated
// strings → ENUM dictionary codes), and JS only reads typed arrays.
import type { DuckDBDataChunk, DuckDBVector } from '@duckdb/node-api';
import { InputError } from '../errors.js';
import { JSDuckDBValueConverter } from '../io/duckdb.js';
import { type ColumnInfo, quoteIdent, type Session, type Source } from '../io/index.js';
import type { EventShape, WireColumn } from './event-shape.js';

export type { EventBatch } from './event-shape.js';

type Kind = 'number' | 'bigint' | 'date' | 'enum' | 'string' | 'generic';

export interface PlannedColumn {
  name: string;
  sqlType: string;
  kind: Kind;
  expression: string;
  /** For 'enum' columns: the dictionary, indexed by the code DuckDB returns. */
  values?: readonly string[];
}

interface Dictionary {
  typeName: string;
  values: readonly string[];
}

export interface EventLogInfo {
  rows: number;
  rowsWithoutTime: number;
  columns: ColumnInfo[];
}

const NUMBER_TYPES = /^(TINYINT|SMALLINT|INTEGER|UTINYINT|USMALLINT|UINTEGER|FLOAT|DOUBLE|DECIMAL.*)$/;
const TIME_TYPES = /^(TIMESTAMP.*|DATE)$/;
/** Long strings with at most this many distinct values are read through an ENUM dictionary. */
const MAX_DICTIONARY = 2_000_000;
/** Rows from the head of the log used to choose how each string column is read. */
const DICTIONARY_SAMPLE = 100_000;
/** DuckDB stores strings of up to 12 bytes inline in the vector. */
const INLINE_STRING_BYTES = 12;

function planColumns(columns: ColumnInfo[], dictionaries: Map<string, Dictionary>): PlannedColumn[] {
  return columns.map(({ name, type }) => {
    const q = `src.${quoteIdent(name)}`;
    if (NUMBER_TYPES.test(type))
      return { name, sqlType: type, kind: 'number', expression: `CAST(${q} AS DOUBLE)` };
    if (TIME_TYPES.test(type)) {
      const asTimestamp = type === 'TIMESTAMP WITH TIME ZONE' ? q : `CAST(${q} AS TIMESTAMP)`;
      return { name, sqlType: type, kind: 'date', expression: `CAST(epoch_ms(${asTimestamp}) AS DOUBLE)` };
    }
    const dictionary = dictionaries.get(name);
    if (dictionary) {
      // enum_code hands back the dictionary index as a plain integer vector; reading ENUM vectors
      // directly would rebuild the whole dictionary for every chunk.
      const expression = `enum_code(CAST(${q} AS ${quoteIdent(dictionary.typeName)}))`;
      return { name, sqlType: type, kind: 'enum', expression, values: dictionary.values };
    }
    if (type === 'VARCHAR') return { name, sqlType: type, kind: 'string', expression: q };
    if (type === 'BIGINT') return { name, sqlType: type, kind: 'bigint', expression: q };
    return { name, sqlType: type, kind: 'generic', expression: q };
  });
}

// The vectors of @duckdb/node-api keep their typed arrays in plain properties; we read them
// directly when present and fall back to the public getItem otherwise.
interface RawVector {
  items?: ArrayLike<number> | BigInt64Array;
  validity?: { data?: BigUint64Array | null };
  dataView?: DataView;
}

function validityBytes(vector: RawVector): Uint8Array | null {
  const data = vector.validity?.data;
  return data ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
}

const decoder = new TextDecoder();

/**
 * ASCII[n](bytes, start) is the n-character string at `start`: one String.fromCharCode call with
 * n arguments, about four times faster than building the string a character at a time.
 */
const ASCII = Array.from(
  { length: 13 },
  (_, n) =>
    new Function(
      'b',
      's',
      `return String.fromCharCode(${Array.from({ length: n }, (_, i) => `b[s + ${i}]`).join(', ')});`,
    ) as (bytes: Uint8Array, start: number) => string,
);

function decodeStrings(vector: DuckDBVector, n: number, out: unknown[]): void {
  const raw = vector as unknown as RawVector;
  const view = raw.dataView;
  const valid = validityBytes(raw);
  if (!view) {
    for (let r = 0; r < n; r++) out[r] = vector.getItem(r);
    return;
  }
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let r = 0; r < n; r++) {
    if (valid && ((valid[r >> 3]! >> (r & 7)) & 1) === 0) {
      out[r] = null;
      continue;
    }
    const length = view.getUint32(r * 16, true);
    if (length > INLINE_STRING_BYTES) {
      out[r] = vector.getItem(r);
      continue;
    }
    // Short strings are stored inline: decode ASCII directly, UTF-8 through TextDecoder.
    const start = r * 16 + 4;
    let high = 0;
    for (let i = 0; i < length; i++) high |= bytes[start + i]!;
    out[r] =
      high < 0x80 ? ASCII[length]!(bytes, start) : decoder.decode(bytes.subarray(start, start + length));
  }
}

/** Row r's NULL flags from a validity mask, or undefined when no row of the first n is NULL. */
function nullFlags(valid: Uint8Array | null, n: number): Uint8Array | undefined {
  if (!valid) return undefined;
  let nulls: Uint8Array | undefined;
  for (let r = 0; r < n; r++) {
    if (((valid[r >> 3]! >> (r & 7)) & 1) === 0) {
      nulls ??= new Uint8Array(n);
      nulls[r] = 1;
    }
  }
  return nulls;
}

/** One column of a chunk as it crosses to a worker: typed arrays where possible (event-shape.ts). */
function decodeColumn(chunk: DuckDBDataChunk, index: number, column: PlannedColumn, n: number): WireColumn {
  const { kind } = column;
  const vector = chunk.getColumnVector(index);
  const raw = vector as unknown as RawVector;
  if (kind === 'string') {
    const values = new Array<unknown>(n);
    decodeStrings(vector, n, values);
    return { kind: 'values', values };
  }
  const items = raw.items;
  if (kind === 'generic' || !items) return convertedColumn(chunk, index, column, n);
  const nulls = nullFlags(validityBytes(raw), n);
  if (kind === 'enum' && !(items instanceof BigInt64Array)) {
    const codes = new Int32Array(n);
    for (let r = 0; r < n; r++) codes[r] = nulls?.[r] ? -1 : items[r]!;
    return { kind: 'codes', codes };
  }
  if (kind === 'bigint' && items instanceof BigInt64Array) {
    return { kind: 'bigints', values: items.slice(0, n), nulls };
  }
  if (items instanceof Float64Array) return { kind: 'numbers', values: items.slice(0, n), nulls };
  return convertedColumn(chunk, index, column, n);
}

/** The slow path: DuckDB's own conversion to JS values (types without a typed array). */
function convertedColumn(
  chunk: DuckDBDataChunk,
  index: number,
  column: PlannedColumn,
  n: number,
): WireColumn {
  const values = chunk.convertColumnValues(index, JSDuckDBValueConverter).slice(0, n) as unknown[];
  if (column.kind === 'enum')
    for (let r = 0; r < n; r++) values[r] = values[r] === null ? null : column.values![Number(values[r])];
  else if (column.kind === 'date')
    for (let r = 0; r < n; r++) values[r] = values[r] === null ? null : Number(values[r]);
  return { kind: 'values', values };
}

export interface EventReaderOptions {
  timeColumn: string;
  /**
   * Replay order: event time (default), or a SQL expression over the log aliased `src`, e.g. an
   * ingestion-time column. Ties fall back to event time, then to every column.
   */
  orderExpression?: string;
  /** SQL condition over the log aliased `src`: replay only the events it keeps. */
  filter?: string;
}

/** One DuckDB chunk of the log in replay order: its columns (times as epoch ms), fresh for each chunk. */
export interface ColumnBatch {
  n: number;
  times: Float64Array;
  columns: WireColumn[];
}

export type Dictionaries = Map<string, Dictionary>;

/** The shape of the events `readEventColumns` decodes, for `eventsOf`. */
export function eventShape(source: Source, dictionaries: Dictionaries): EventShape {
  const plan = planColumns(source.columns, dictionaries);
  return {
    names: plan.map((c) => c.name),
    dates: plan.map((c) => c.kind === 'date'),
    dictionaries: plan.map((c) => (c.kind === 'enum' ? c.values! : null)),
  };
}

/**
 * JSON (and some CSV) logs carry times as text. When every value of a text time column parses
 * as a timestamp, the `events` view is redefined with the parsed column, so the batch SQL and
 * the streaming module both see a TIMESTAMP; otherwise the first value that does not parse is named.
 */
export async function parseTextTimeColumn(
  session: Session,
  source: Source,
  timeColumn: string,
): Promise<Source> {
  const column = source.columns.find((c) => c.name === timeColumn);
  if (column?.type !== 'VARCHAR') return source;
  const t = quoteIdent(timeColumn);
  const view = quoteIdent(source.name);
  const bad = await session.rows(
    `SELECT ${t} AS v FROM ${view} WHERE ${t} IS NOT NULL AND TRY_CAST(${t} AS TIMESTAMP) IS NULL LIMIT 1`,
  );
  if (bad.length > 0) {
    throw new InputError(
      `the time column "${timeColumn}" of ${source.path} is text and ${JSON.stringify(bad[0]!.v)} is not a timestamp; expected TIMESTAMP values or ISO 8601 text`,
      { file: source.path, column: timeColumn },
    );
  }
  const raw = `${source.name}__raw`;
  await session.run(`ALTER VIEW ${view} RENAME TO ${quoteIdent(raw)}`);
  await session.run(
    `CREATE VIEW ${view} AS SELECT * REPLACE (CAST(${t} AS TIMESTAMP) AS ${t}) FROM ${quoteIdent(raw)}`,
  );
  return { ...source, columns: await session.columnsOf(source.name) };
}

/** Validates the log's time column and counts its rows. */
export async function inspectEventLog(
  session: Session,
  source: Source,
  timeColumn: string,
): Promise<EventLogInfo> {
  const column = source.columns.find((c) => c.name === timeColumn);
  if (!column) {
    throw new InputError(
      `the event log ${source.path} has no time column "${timeColumn}" (its columns: ${source.columns
        .map((c) => `${c.name} ${c.type}`)
        .join(', ')}); pass --time-column`,
      { file: source.path, column: timeColumn },
    );
  }
  if (!TIME_TYPES.test(column.type)) {
    throw new InputError(
      `the time column "${timeColumn}" of ${source.path} has type ${column.type}; expected TIMESTAMP, TIMESTAMPTZ or DATE`,
      { file: source.path, column: timeColumn },
    );
  }
  const rows = await session.rows(
    `SELECT count(*) AS n, count(*) FILTER (WHERE ${quoteIdent(timeColumn)} IS NULL) AS no_time FROM ${quoteIdent(source.name)}`,
  );
  return { rows: Number(rows[0]!.n), rowsWithoutTime: Number(rows[0]!.no_time), columns: source.columns };
}

/**
 * Streams `select` (whose first columns are `plan`'s, then `extra` plain DOUBLE columns) chunk by
 * chunk: the plan's columns decoded for the workers, times in epoch ms, the extra columns apart.
 */
export async function* streamColumns(
  session: Session,
  select: string,
  read: { plan: PlannedColumn[]; timeIndex: number; extra: number; storedOrder?: boolean },
): AsyncGenerator<ColumnBatch & { extra: Float64Array[] }> {
  const { plan, timeIndex, extra } = read;
  const { result, close } = await session.stream(select, { storedOrder: read.storedOrder });
  let next: Promise<unknown> | undefined;
  try {
    // Ask DuckDB for the next chunk before decoding this one, so its work overlaps ours.
    next = result.fetchChunk();
    for (;;) {
      const chunk = (await next) as Awaited<ReturnType<typeof result.fetchChunk>>;
      if (!chunk || chunk.rowCount === 0) break;
      next = result.fetchChunk();
      const n = chunk.rowCount;
      const columns = plan.map((column, c) => decodeColumn(chunk, c, column, n));
      const numbers = (column: WireColumn) =>
        column.kind === 'numbers'
          ? column.values.slice()
          : Float64Array.from((column as { values: ArrayLike<unknown> }).values as ArrayLike<number>);
      // Rows without a time were filtered out: the time column has no NULL.
      const times = numbers(columns[timeIndex]!);
      const extras = Array.from({ length: extra }, (_, e) =>
        numbers(decodeColumn(chunk, plan.length + e, NUMBER_COLUMN, n)),
      );
      yield { n, times, columns, extra: extras };
    }
  } finally {
    // A fetch still pending must settle before its connection closes.
    await next?.catch(() => undefined);
    close();
  }
}

const NUMBER_COLUMN: PlannedColumn = { name: '', sqlType: 'DOUBLE', kind: 'number', expression: '' };

/** The plan of the log's columns as `streamColumns` reads them, and where the time column is. */
export function readPlan(source: Source, timeColumn: string, dictionaries: Dictionaries) {
  const plan = planColumns(source.columns, dictionaries);
  return { plan, timeIndex: plan.findIndex((c) => c.name === timeColumn) };
}

/**
 * ENUM dictionaries for string columns whose values are long (over 12 bytes, which DuckDB stores
 * out of line and JS can only fetch one native call at a time) but few. Short strings are
 * decoded directly from the vector, which is cheaper than building a dictionary for them.
 */
export async function createDictionaries(session: Session, source: Source): Promise<Dictionaries> {
  const strings = source.columns.filter((c) => c.type === 'VARCHAR');
  const dictionaries = new Map<string, Dictionary>();
  if (strings.length === 0) return dictionaries;
  const view = quoteIdent(source.name);
  // Which path suits a column is only a question of speed (both decode every value right), so
  // it is judged on the head of the log instead of a full scan.
  const head = (
    await session.rows(
      `SELECT ${strings
        .map(
          (c, i) =>
            `max(strlen(${quoteIdent(c.name)})) AS l${i}, count(DISTINCT ${quoteIdent(c.name)}) AS d${i}`,
        )
        .join(', ')}, count(*) AS n FROM (SELECT * FROM ${view} LIMIT ${DICTIONARY_SAMPLE})`,
    )
  )[0]!;
  const sampled = Number(head.n);
  for (const [i, column] of strings.entries()) {
    if (Number(head[`l${i}`] ?? 0) <= INLINE_STRING_BYTES) continue;
    if (Number(head[`d${i}`]) > sampled / 2) continue;
    const name = quoteIdent(column.name);
    const typeName = `__skewcheck_dict_${i}`;
    await session.run(
      `CREATE TYPE ${quoteIdent(typeName)} AS ENUM (SELECT DISTINCT ${name} FROM ${view} WHERE ${name} IS NOT NULL ORDER BY 1)`,
    );
    const range = await session.rows(`SELECT enum_range(NULL::${quoteIdent(typeName)}) AS v`);
    const values = (range[0]?.v as string[] | undefined) ?? [];
    if (values.length > MAX_DICTIONARY) {
      // The head of the log looked repetitive but the whole of it is not.
      await session.run(`DROP TYPE ${quoteIdent(typeName)}`);
      continue;
    }
    dictionaries.set(column.name, { typeName, values });
  }
  return dictionaries;
}

export async function dropDictionaries(session: Session, dictionaries: Dictionaries): Promise<void> {
  for (const { typeName } of dictionaries.values()) {
    await session.run(`DROP TYPE IF EXISTS ${quoteIdent(typeName)}`).catch(() => undefined);
  }
}
