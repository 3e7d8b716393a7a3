// Collects the rows a streaming module emits into typed column buffers, 2048 rows at a time,
// and hands each full chunk to a target: DuckDB directly (chunk-table.ts), or the main thread
// when the module runs in a worker. Column types come from the event log for key columns and
// from the first non-null value otherwise; a later value of another kind is the user's bug and
// is reported as such.
import { UserCodeError } from '../errors.js';
import type { KeyPart } from './contract.js';

export type ValueFamily = 'double' | 'bigint' | 'varchar' | 'boolean' | 'timestamp';

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

export const CHUNK_ROWS = 2048;
const INFERENCE_ROWS = 4096;

/** One column of a chunk: numbers with a null mask (double), or values of the column's family. */
export interface ColumnBuffer {
  family: ValueFamily;
  numbers?: Float64Array;
  nulls?: Uint8Array;
  values?: unknown[];
}

/** Up to 2048 rows: window bounds in epoch ms, then key and feature columns. */
export interface RowChunk {
  n: number;
  starts: Float64Array;
  ends: Float64Array;
  columns: ColumnBuffer[];
}

/** Where full chunks go. The sink reuses its buffers after `write` returns. */
export interface ChunkTarget {
  /**
   * Fix each column's family from the ones seen so far (undefined: every value was null) and
   * get ready for chunks; a worker's target asks the main thread, which decides for all workers.
   */
  open(
    names: readonly string[],
    families: readonly (ValueFamily | undefined)[],
    rows: number,
  ): Promise<ValueFamily[]>;
  write(chunk: RowChunk): void;
  close(): Promise<void>;
}

export class RowSink {
  private readonly pending: { key: readonly KeyPart[]; start: number; end: number; values: unknown[] }[] = [];
  private families: (ValueFamily | undefined)[];
  private buffers: ColumnBuffer[] = [];
  private readonly starts = new Float64Array(CHUNK_ROWS);
  private readonly ends = new Float64Array(CHUNK_ROWS);
  private filled = 0;
  private opened = false;
  private readonly names: string[];
  rows = 0;

  constructor(
    private readonly target: ChunkTarget,
    private readonly keyColumns: { name: string; family?: ValueFamily }[],
    readonly featureNames: string[],
    private readonly modulePath: string,
  ) {
    this.names = [...keyColumns.map((c) => c.name), ...featureNames];
    this.families = [...keyColumns.map((c) => c.family), ...featureNames.map(() => undefined)];
  }

  /** Add one row: key values, window bounds in epoch ms, feature values in column order. */
  add(key: readonly KeyPart[], start: number, end: number, values: unknown[]): void {
    this.rows++;
    if (!this.opened) {
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

  /** Fix the column types once they are known (called between event batches). */
  async settle(): Promise<void> {
    if (this.opened) return;
    if (this.pending.length >= INFERENCE_ROWS || (this.pending.length > 0 && this.families.every((f) => f))) {
      await this.open();
    }
  }

  private async open(): Promise<void> {
    const families = await this.target.open(this.names, this.families, this.pending.length);
    this.opened = true;
    this.buffers = families.map((family) =>
      family === 'double'
        ? { family, numbers: new Float64Array(CHUNK_ROWS), nulls: new Uint8Array(CHUNK_ROWS) }
        : { family, values: new Array<unknown>(CHUNK_ROWS) },
    );
    const pending = this.pending.splice(0);
    this.rows -= pending.length;
    for (const row of pending) this.add(row.key, row.start, row.end, row.values);
  }

  private flushChunk(): void {
    if (this.filled === 0) return;
    this.target.write({ n: this.filled, starts: this.starts, ends: this.ends, columns: this.buffers });
    this.filled = 0;
  }

  /** Flush the last rows and close the target. */
  async close(): Promise<void> {
    if (!this.opened) await this.open();
    this.flushChunk();
    await this.target.close();
  }
}
