// Collects the rows a streaming module emits and bulk-loads them into DuckDB. The hot path
// writes numbers (window bounds in epoch ms, numeric features) into typed column buffers that
// are copied into DuckDB vectors 2048 rows at a time; a view turns the bounds into TIMESTAMPs. Column types come from the event log for
// key columns and from the first non-null value otherwise; a later value of another kind is
// the user's bug and is reported as such.
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  type DuckDBType,
  type DuckDBVector,
  JSToDuckDBValueConverter,
  TIMESTAMP,
  VARCHAR,
} from '@duckdb/node-api';
import { UserCodeError } from '../errors.js';
import { quoteIdent, type Session } from '../io/index.js';
import type { KeyPart } from './contract.js';

export type ValueFamily = 'double' | 'bigint' | 'varchar' | 'boolean' | 'timestamp';

const DUCKDB_TYPE: Record<ValueFamily, DuckDBType> = {
  double: DOUBLE,
  bigint: BIGINT,
  varchar: VARCHAR,
  boolean: BOOLEAN,
  timestamp: TIMESTAMP,
};

/** The family a key column takes from its SQL type in the event log (undefined: infer from values). */
export function familyOfSqlType(type: string | undefined): ValueFamily | undefined {
  if (!type) return undefined;
  if (type === 'VARCHAR') return 'varchar';
  if (type === 'BOOLEAN') return 'boolean';
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(type)) return 'bigint';
  if (/^(FLOAT|DOUBLE|DECIMAL.*)$/.test(type)) return 'double';
  if (/^(TIMESTAMP.*|DATE)$/.test(type)) return 'timestamp';
  return undefined;
}

function familyOfValue(value: unknown): ValueFamily | undefined {
  switch (typeof value) {
    case 'number':
      return 'double';
    case 'bigint':
      return 'bigint';
    case 'string':
      return 'varchar';
    case 'boolean':
      return 'boolean';
    default:
      return value instanceof Date ? 'timestamp' : undefined;
  }
}

function describeValue(value: unknown): string {
  if (value instanceof Date) return `Date ${value.toISOString()}`;
  if (typeof value === 'object')
    return value === null ? 'null' : `an object (${Object.prototype.toString.call(value)})`;
  return `${typeof value} ${String(value)}`;
}

const INVALID = Symbol('invalid');

/** Converts `value` to what the column's DuckDB type accepts, or INVALID. */
function coerce(value: unknown, family: ValueFamily): unknown {
  if (value === null || value === undefined) return null;
  switch (family) {
    case 'double':
      if (typeof value === 'number') return value;
      return typeof value === 'bigint' ? Number(value) : INVALID;
    case 'bigint':
      if (typeof value === 'bigint') return value;
      return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : INVALID;
    case 'varchar':
      return typeof value === 'string' ? value : INVALID;
    case 'boolean':
      return typeof value === 'boolean' ? value : INVALID;
    case 'timestamp':
      if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
      return typeof value === 'number' && Number.isFinite(value) ? new Date(value) : INVALID;
  }
}

/** Window bounds as epoch milliseconds (Date or number), or NaN when they are neither. */
export function epochMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  return typeof value === 'number' && Number.isFinite(value) ? value : Number.NaN;
}

const CHUNK_ROWS = 2048;
const INFERENCE_ROWS = 4096;

// @duckdb/node-api vectors keep their values in a typed array we can fill directly; flush()
// copies it to DuckDB. When that is not available we fall back to the public setter.
interface WritableVector {
  items?: Float64Array;
  setItem(index: number, value: unknown): void;
  flush(): void;
}

function writeNumbers(vector: DuckDBVector, values: Float64Array, nulls: Uint8Array | null, n: number): void {
  const target = vector as unknown as WritableVector;
  if (target.items && target.items.length >= n) target.items.set(values.subarray(0, n));
  else for (let r = 0; r < n; r++) target.setItem(r, values[r]);
  if (nulls) for (let r = 0; r < n; r++) if (nulls[r]) target.setItem(r, null);
  target.flush();
}

interface FeatureBuffer {
  family: ValueFamily;
  numbers?: Float64Array;
  nulls?: Uint8Array;
  values?: unknown[];
}

export class RowSink {
  private readonly pending: { key: readonly KeyPart[]; start: number; end: number; values: unknown[] }[] = [];
  private families: (ValueFamily | undefined)[];
  private buffers: FeatureBuffer[] = [];
  private readonly starts = new Float64Array(CHUNK_ROWS);
  private readonly ends = new Float64Array(CHUNK_ROWS);
  private filled = 0;
  private appender: Awaited<ReturnType<Session['connection']['createAppender']>> | undefined;
  private types: DuckDBType[] = [];
  private readonly names: string[];
  rows = 0;

  constructor(
    private readonly session: Session,
    private readonly table: string,
    private readonly keyColumns: { name: string; family?: ValueFamily }[],
    readonly featureNames: string[],
    private readonly modulePath: string,
  ) {
    this.names = [...keyColumns.map((c) => c.name), ...featureNames];
    this.families = [...keyColumns.map((c) => c.family), ...featureNames.map(() => undefined)];
  }

  private get rawTable(): string {
    return `${this.table}__raw`;
  }

  /** Add one row: key values, window bounds in epoch ms, feature values in column order. */
  add(key: readonly KeyPart[], start: number, end: number, values: unknown[]): void {
    this.rows++;
    if (!this.appender) {
      this.pending.push({ key, start, end, values });
      const k = key.length;
      for (let c = 0; c < this.families.length; c++) {
        if (this.families[c] === undefined) this.families[c] = familyOfValue(c < k ? key[c] : values[c - k]);
      }
      return;
    }
    const i = this.filled;
    this.starts[i] = start;
    this.ends[i] = end;
    const buffers = this.buffers;
    const k = key.length;
    for (let c = 0; c < buffers.length; c++) {
      const buffer = buffers[c]!;
      const value = c < k ? key[c] : values[c - k];
      if (buffer.numbers) {
        if (typeof value === 'number') {
          buffer.numbers[i] = value;
          buffer.nulls![i] = 0;
        } else if (value === null || value === undefined) {
          buffer.nulls![i] = 1;
        } else if (typeof value === 'bigint') {
          buffer.numbers[i] = Number(value);
          buffer.nulls![i] = 0;
        } else this.reject(c, value);
      } else {
        const coerced = coerce(value, buffer.family);
        if (coerced === INVALID) this.reject(c, value);
        buffer.values![i] = coerced;
      }
    }
    this.filled = i + 1;
    if (this.filled === CHUNK_ROWS) this.flushChunk();
  }

  private reject(column: number, value: unknown): never {
    const isKey = column < this.keyColumns.length;
    throw new UserCodeError(
      `${isKey ? 'returned' : 'emitted'} ${describeValue(value)} for ${isKey ? 'key column' : 'feature'} "${this.names[column]}", whose ${isKey && this.keyColumns[column]!.family ? 'type in the event log is' : 'earlier values were'} ${this.buffers[column]!.family} (each column must keep one type)`,
      { module: this.modulePath },
    );
  }

  /** Create the table once column types are known (called between event batches). */
  async settle(): Promise<void> {
    if (this.appender) return;
    if (this.pending.length >= INFERENCE_ROWS || (this.pending.length > 0 && this.families.every((f) => f))) {
      await this.open();
    }
  }

  private async open(): Promise<void> {
    // A column that was null in every row seen so far is stored as DOUBLE.
    const families = this.families.map((f) => f ?? 'double');
    this.buffers = families.map((family) =>
      family === 'double'
        ? { family, numbers: new Float64Array(CHUNK_ROWS), nulls: new Uint8Array(CHUNK_ROWS) }
        : { family, values: new Array<unknown>(CHUNK_ROWS) },
    );
    this.types = [DOUBLE, DOUBLE, ...families.map((f) => DUCKDB_TYPE[f])];
    const ddl = ['__start DOUBLE', '__end DOUBLE']
      .concat(this.names.map((name, i) => `${quoteIdent(name)} ${DUCKDB_TYPE[families[i]!].toString()}`))
      .join(', ');
    await this.session.run(`CREATE OR REPLACE TABLE ${quoteIdent(this.rawTable)} (${ddl})`);
    this.appender = await this.session.connection.createAppender(this.rawTable);
    const pending = this.pending.splice(0);
    this.rows -= pending.length;
    for (const row of pending) this.add(row.key, row.start, row.end, row.values);
  }

  private flushChunk(): void {
    const n = this.filled;
    if (n === 0) return;
    const chunk = DuckDBDataChunk.create(this.types, n);
    writeNumbers(chunk.getColumnVector(0), this.starts, null, n);
    writeNumbers(chunk.getColumnVector(1), this.ends, null, n);
    for (let c = 0; c < this.buffers.length; c++) {
      const buffer = this.buffers[c]!;
      if (buffer.numbers) writeNumbers(chunk.getColumnVector(c + 2), buffer.numbers, buffer.nulls!, n);
      else {
        const values = n === CHUNK_ROWS ? buffer.values! : buffer.values!.slice(0, n);
        chunk.setColumnValuesConverted(c + 2, values as never[], JSToDuckDBValueConverter);
      }
    }
    this.appender!.appendDataChunk(chunk);
    this.filled = 0;
  }

  /** Flush and expose the rows as the output table: keys, window_start, window_end, features. */
  async close(): Promise<void> {
    if (!this.appender) await this.open();
    this.flushChunk();
    this.appender!.closeSync();
    const keys = this.keyColumns.map((c) => quoteIdent(c.name));
    const features = this.featureNames.map((f) => quoteIdent(f));
    // A view: the diff reads it a few times, and the timestamp conversion is cheaper than a copy.
    await this.session.run(
      `CREATE OR REPLACE VIEW ${quoteIdent(this.table)} AS
       SELECT ${keys.join(', ')},
         epoch_ms(CAST(round(__start) AS BIGINT)) AS window_start,
         epoch_ms(CAST(round(__end) AS BIGINT)) AS window_end
         ${features.length ? `, ${features.join(', ')}` : ''}
       FROM ${quoteIdent(this.rawTable)}`,
    );
  }
}
