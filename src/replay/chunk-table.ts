// Loads emitted rows into DuckDB: each chunk's typed buffers are copied into DuckDB vectors and
// appended to a raw table (window bounds as epoch-ms doubles); a view over the raw table(s)
// turns the bounds into TIMESTAMPs and is what the diff reads.
import type { DuckDBType, DuckDBVector } from '@duckdb/node-api';
import {
  BIGINT,
  BOOLEAN,
  copyToVector,
  DOUBLE,
  DuckDBDataChunk,
  JSToDuckDBValueConverter,
  TIMESTAMP,
  VARCHAR,
} from '../io/duckdb.js';
import { quoteIdent, type Session } from '../io/index.js';
import { CHUNK_ROWS, type ChunkTarget, type RowChunk, type ValueFamily } from './row-sink.js';

const DUCKDB_TYPE: Record<ValueFamily, DuckDBType> = {
  double: DOUBLE,
  bigint: BIGINT,
  varchar: VARCHAR,
  boolean: BOOLEAN,
  timestamp: TIMESTAMP,
};

type Appender = Awaited<ReturnType<Session['connection']['createAppender']>>;

// @duckdb/node-api vectors keep their values in a typed array we can fill directly; flush()
// copies it to DuckDB. When that is not available we fall back to the public setter.
interface WritableVector {
  items?: Float64Array;
  setItem(index: number, value: unknown): void;
  flush(): void;
}

/** DuckDB keeps strings of up to 12 bytes inside the vector: 4 bytes of length, then the bytes. */
const INLINE_BYTES = 12;
const encoder = new TextEncoder();

interface StringVector extends WritableVector {
  /** The native vector the client wraps. */
  vector?: unknown;
}

/**
 * Text values into a VARCHAR vector. Short strings (most keys) are laid out inline, as DuckDB's
 * C API defines them, in one buffer copied with a single call; longer ones and NULLs go through
 * the client's setter, which makes one native call each.
 */
function writeStrings(vector: DuckDBVector, values: readonly unknown[], n: number): void {
  const target = vector as unknown as StringVector;
  const inline = new Uint8Array(n * 16);
  for (let r = 0; r < n; r++) {
    const value = values[r];
    if (typeof value !== 'string' || value.length > INLINE_BYTES || target.vector === undefined) {
      target.setItem(r, value ?? null);
      continue;
    }
    const at = r * 16;
    let ascii = true;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) {
        ascii = false;
        break;
      }
      inline[at + 4 + i] = code;
    }
    if (ascii) {
      inline[at] = value.length;
      continue;
    }
    const bytes = encoder.encode(value);
    if (bytes.length > INLINE_BYTES) {
      inline.fill(0, at + 4, at + 16);
      target.setItem(r, value);
    } else {
      inline.set(bytes, at + 4);
      inline[at] = bytes.length;
    }
  }
  if (target.vector !== undefined) copyToVector(target.vector, inline);
  // Then the setter's strings, over their slots, and the NULL mask.
  target.flush();
}

function writeNumbers(vector: DuckDBVector, values: Float64Array, nulls: Uint8Array | null, n: number): void {
  const target = vector as unknown as WritableVector;
  if (target.items && target.items.length >= n) target.items.set(values.subarray(0, n));
  else for (let r = 0; r < n; r++) target.setItem(r, values[r]);
  if (nulls) for (let r = 0; r < n; r++) if (nulls[r]) target.setItem(r, null);
  target.flush();
}

/** A raw table of emitted rows and its appender, for columns whose families are decided. */
export class RawRowTable {
  private readonly types: DuckDBType[];
  private constructor(
    private readonly appender: Appender,
    families: readonly ValueFamily[],
  ) {
    this.types = [DOUBLE, DOUBLE, ...families.map((f) => DUCKDB_TYPE[f])];
  }

  static async create(
    session: Session,
    name: string,
    columns: readonly string[],
    families: readonly ValueFamily[],
  ): Promise<RawRowTable> {
    const ddl = ['__start DOUBLE', '__end DOUBLE']
      .concat(columns.map((c, i) => `${quoteIdent(c)} ${DUCKDB_TYPE[families[i]!].toString()}`))
      .join(', ');
    await session.run(`CREATE OR REPLACE TABLE ${quoteIdent(name)} (${ddl})`);
    return new RawRowTable(await session.connection.createAppender(name), families);
  }

  append(chunk: RowChunk): void {
    const { n, columns } = chunk;
    const data = DuckDBDataChunk.create(this.types, n);
    writeNumbers(data.getColumnVector(0), chunk.starts, null, n);
    writeNumbers(data.getColumnVector(1), chunk.ends, null, n);
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      if (column.numbers) writeNumbers(data.getColumnVector(c + 2), column.numbers, column.nulls!, n);
      else if (column.family === 'varchar') writeStrings(data.getColumnVector(c + 2), column.values!, n);
      else {
        const values = n === CHUNK_ROWS ? column.values! : column.values!.slice(0, n);
        data.setColumnValuesConverted(c + 2, values as never[], JSToDuckDBValueConverter);
      }
    }
    this.appender.appendDataChunk(data);
  }

  close(): void {
    this.appender.closeSync();
  }
}

/** The output view: keys, window_start, window_end, features — over the raw tables in order. */
export async function createRowView(
  session: Session,
  view: string,
  rawTables: readonly string[],
  keyColumns: readonly string[],
  featureNames: readonly string[],
): Promise<void> {
  const keys = keyColumns.map((c) => quoteIdent(c));
  const features = featureNames.map((f) => quoteIdent(f));
  const select = (raw: string) =>
    `SELECT ${keys.join(', ')},
       epoch_ms(CAST(round(__start) AS BIGINT)) AS window_start,
       epoch_ms(CAST(round(__end) AS BIGINT)) AS window_end
       ${features.length ? `, ${features.join(', ')}` : ''}
     FROM ${quoteIdent(raw)}`;
  // A view: the diff reads it a few times, and the timestamp conversion is cheaper than a copy.
  await session.run(
    `CREATE OR REPLACE VIEW ${quoteIdent(view)} AS ${rawTables.map(select).join('\nUNION ALL\n')}`,
  );
}

/** The in-process target: rows go straight into `<table>__raw`, exposed as the view `<table>`. */
export class DuckDBChunkTarget implements ChunkTarget {
  private raw: RawRowTable | undefined;
  private names: readonly string[] = [];

  constructor(
    private readonly session: Session,
    private readonly table: string,
    private readonly keyCount: number,
  ) {}

  async open(names: readonly string[], families: readonly (ValueFamily | undefined)[]) {
    // A column that was null in every row seen so far is stored as DOUBLE.
    const decided = families.map((f) => f ?? 'double');
    this.names = names;
    this.raw = await RawRowTable.create(this.session, `${this.table}__raw`, names, decided);
    return decided;
  }

  write(chunk: RowChunk): void {
    this.raw!.append(chunk);
  }

  async close(): Promise<void> {
    this.raw!.close();
    const keys = this.names.slice(0, this.keyCount);
    await createRowView(
      this.session,
      this.table,
      [`${this.table}__raw`],
      keys,
      this.names.slice(this.keyCount),
    );
  }
}
