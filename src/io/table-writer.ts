// Bulk loading JS values into a DuckDB table through the Appender, one data chunk at a time
// (never row-by-row INSERT). Used for streaming-harness output and Arrow IPC input.
import type { DuckDBAppender, DuckDBType } from '@duckdb/node-api';
import { DuckDBDataChunk, JSToDuckDBValueConverter } from './duckdb.js';
import type { Session } from './session.js';
import { quoteIdent } from './sql.js';

const CHUNK_ROWS = 2048;

export interface WriterColumn {
  name: string;
  type: DuckDBType;
}

/** Appends rows of plain JS values (Date for timestamps, bigint or number for BIGINT). */
export class TableWriter {
  private buffer: unknown[][];
  private filled = 0;
  rowCount = 0;

  private constructor(
    private readonly appender: DuckDBAppender,
    private readonly columns: readonly WriterColumn[],
  ) {
    this.buffer = columns.map(() => new Array<unknown>(CHUNK_ROWS));
  }

  static async create(
    session: Session,
    table: string,
    columns: readonly WriterColumn[],
  ): Promise<TableWriter> {
    const ddl = columns.map((c) => `${quoteIdent(c.name)} ${c.type.toString()}`).join(', ');
    await session.run(`CREATE OR REPLACE TABLE ${quoteIdent(table)} (${ddl})`);
    const appender = await session.connection.createAppender(table);
    return new TableWriter(appender, columns);
  }

  /** Append one row given as values in column order. */
  append(values: readonly unknown[]): void {
    for (let c = 0; c < this.columns.length; c++) this.buffer[c]![this.filled] = values[c] ?? null;
    this.filled++;
    this.rowCount++;
    if (this.filled === CHUNK_ROWS) this.flushChunk();
  }

  /** Append a whole column-major batch (all arrays the same length). */
  appendColumns(columns: readonly (readonly unknown[])[], length: number): void {
    for (let start = 0; start < length; start += CHUNK_ROWS) {
      const end = Math.min(length, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(
        this.columns.map((c) => c.type),
        end - start,
      );
      for (let c = 0; c < this.columns.length; c++) {
        chunk.setColumnValuesConverted(c, columns[c]!.slice(start, end) as never[], JSToDuckDBValueConverter);
      }
      this.appender.appendDataChunk(chunk);
      this.rowCount += end - start;
    }
  }

  private flushChunk(): void {
    if (this.filled === 0) return;
    const chunk = DuckDBDataChunk.create(
      this.columns.map((c) => c.type),
      this.filled,
    );
    for (let c = 0; c < this.columns.length; c++) {
      const values = this.filled === CHUNK_ROWS ? this.buffer[c]! : this.buffer[c]!.slice(0, this.filled);
      chunk.setColumnValuesConverted(c, values as never[], JSToDuckDBValueConverter);
    }
    this.appender.appendDataChunk(chunk);
    this.filled = 0;
  }

  close(): void {
    this.flushChunk();
    this.appender.closeSync();
  }
}
