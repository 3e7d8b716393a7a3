// Collects the rows a streaming module emits and bulk-loads them into a DuckDB table. Column
// types come from the event log for key columns and from the first non-null value otherwise;
// a later value of another kind is the user's bug and is reported as such.
import { BIGINT, BOOLEAN, DOUBLE, type DuckDBType, TIMESTAMP, VARCHAR } from '@duckdb/node-api';
import { UserCodeError } from '../errors.js';
import type { Session } from '../io/index.js';
import { TableWriter } from '../io/index.js';

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

/** Converts `value` to what the column's DuckDB type accepts, or says why it cannot. */
function coerce(value: unknown, family: ValueFamily): { ok: true; value: unknown } | { ok: false } {
  if (value === null || value === undefined) return { ok: true, value: null };
  switch (family) {
    case 'double':
      if (typeof value === 'number') return { ok: true, value };
      if (typeof value === 'bigint') return { ok: true, value: Number(value) };
      return { ok: false };
    case 'bigint':
      if (typeof value === 'bigint') return { ok: true, value };
      if (typeof value === 'number' && Number.isSafeInteger(value)) return { ok: true, value: BigInt(value) };
      return { ok: false };
    case 'varchar':
      return typeof value === 'string' ? { ok: true, value } : { ok: false };
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false };
    case 'timestamp':
      if (value instanceof Date && !Number.isNaN(value.getTime())) return { ok: true, value };
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value: new Date(value) };
      return { ok: false };
  }
}

export interface SinkColumn {
  name: string;
  family?: ValueFamily;
}

const INFERENCE_ROWS = 4096;

export class RowSink {
  private readonly pending: unknown[][] = [];
  private writer: TableWriter | undefined;
  private families: (ValueFamily | undefined)[];
  rows = 0;

  constructor(
    private readonly session: Session,
    private readonly table: string,
    private readonly columns: SinkColumn[],
    private readonly modulePath: string,
  ) {
    this.families = columns.map((c) => c.family);
  }

  get columnNames(): string[] {
    return this.columns.map((c) => c.name);
  }

  /** Add a row given in column order (synchronous: the harness calls it per emitted row). */
  add(values: unknown[]): void {
    this.rows++;
    if (this.writer) {
      this.writer.append(this.coerceRow(values));
      return;
    }
    this.pending.push(values);
    for (let c = 0; c < values.length; c++) {
      if (this.families[c] === undefined) this.families[c] = familyOfValue(values[c]);
    }
  }

  /** Create the table once column types are known (called between event batches). */
  async settle(): Promise<void> {
    if (this.writer) return;
    if (this.pending.length >= INFERENCE_ROWS || (this.pending.length > 0 && this.families.every((f) => f))) {
      await this.open();
    }
  }

  private coerceRow(values: unknown[]): unknown[] {
    const out = new Array<unknown>(values.length);
    for (let c = 0; c < values.length; c++) {
      const result = coerce(values[c], this.families[c]!);
      if (!result.ok) {
        const name = this.columns[c]!.name;
        throw new UserCodeError(
          `emitted ${describeValue(values[c])} for column "${name}", whose earlier values were ${this.families[c]} (each output column must keep one type)`,
          { module: this.modulePath },
        );
      }
      out[c] = result.value;
    }
    return out;
  }

  private async open(): Promise<void> {
    // A column that was null in every row seen so far is stored as DOUBLE.
    this.families = this.families.map((f) => f ?? 'double');
    this.writer = await TableWriter.create(
      this.session,
      this.table,
      this.columns.map((c, i) => ({ name: c.name, type: DUCKDB_TYPE[this.families[i]!] })),
    );
    for (const row of this.pending.splice(0)) this.writer.append(this.coerceRow(row));
  }

  async close(): Promise<void> {
    if (!this.writer) await this.open();
    this.writer!.close();
  }
}
