// One DuckDB database per command run: every query, view and temporary table of a run goes
// through a Session so that quoting, error mapping and resource limits live in one place.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type {
  DuckDBConnection,
  DuckDBMaterializedResult,
  DuckDBResult,
  DuckDBType,
  DuckDBValue,
} from '@duckdb/node-api';
import { UsageError } from '../errors.js';
import { DuckDBInstance, JSDuckDBValueConverter } from './duckdb.js';
import { quoteIdent, quoteLiteral } from './sql.js';

export interface ColumnInfo {
  name: string;
  /** DuckDB's SQL name of the type, e.g. BIGINT, DECIMAL(10,2), TIMESTAMP. */
  type: string;
}

export interface SessionOptions {
  /** DuckDB memory limit, e.g. '1GB'. Spills to a temporary directory beyond it. */
  memoryLimit?: string;
  threads?: number;
}

export type JsRow = Record<string, unknown>;

/**
 * DuckDB's memory limit when none is set: 40% of the machine's memory (or of the container's
 * limit, when smaller), at least 1 GB. Beyond it DuckDB spills to a temporary folder; wide
 * diffs (hundreds of feature columns) need more than a fixed 1 GB.
 */
export function defaultMemoryLimit(): string {
  const constrained = process.constrainedMemory?.() ?? 0;
  const total = constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
  const mb = Math.max(1024, Math.floor((total * 0.4) / 2 ** 20));
  return `${mb}MB`;
}

/**
 * DuckDB's memory limit for each of the two databases that run at once during a replay (the
 * sandbox running the batch SQL, and the session sorting the log for the stream). Each spills
 * beyond it; with 40% of the machine each, the two together held 3.2–3.4 GiB at 10M events
 * (2 × 512 MB: 1.4 GiB). `SKEWCHECK_MEMORY_LIMIT` overrides it as it does the default.
 */
export function concurrentMemoryLimit(): string {
  return memoryLimitFromEnv() ?? '512MB';
}

/**
 * `SKEWCHECK_MEMORY_LIMIT` when set: a size such as 4GB or 512MB (empty counts as unset). Anything
 * else is refused here, in words, rather than by DuckDB with a stack trace.
 */
export function memoryLimitFromEnv(): string | undefined {
  const value = process.env.SKEWCHECK_MEMORY_LIMIT?.trim();
  if (!value) return undefined;
  if (!/^\d+(\.\d+)?\s*([KMGT]i?)?B$/i.test(value)) {
    throw new UsageError(
      `SKEWCHECK_MEMORY_LIMIT is ${JSON.stringify(value)}; expected a size such as 4GB, 512MB or 1.5GiB`,
    );
  }
  return value;
}

export class Session {
  private readonly spillDir: string;
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    spillDir: string,
    /** Whether closing this session closes the database (else only its connection: a fork). */
    private readonly owner = true,
  ) {
    this.spillDir = spillDir;
  }

  static async open(options: SessionOptions = {}): Promise<Session> {
    const spillDir = mkdtempSync(join(tmpdir(), 'skewcheck-'));
    const config: Record<string, string> = {
      memory_limit: options.memoryLimit ?? memoryLimitFromEnv() ?? defaultMemoryLimit(),
      temp_directory: spillDir,
      // Results are sorted explicitly wherever order matters; this lets scans run in parallel.
      preserve_insertion_order: 'false',
      enable_external_access: 'true',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'true',
    };
    if (options.threads) config.threads = String(options.threads);
    const instance = await DuckDBInstance.create(':memory:', config);
    const connection = await instance.connect();
    // Timestamps are rendered and truncated in UTC whatever the machine's zone: same input, same output.
    await connection.run("SET TimeZone = 'UTC'").catch(() => undefined);
    return new Session(instance, connection, spillDir);
  }

  async run(sql: string, params?: Record<string, DuckDBValue>): Promise<DuckDBMaterializedResult> {
    return params ? this.connection.run(sql, params) : this.connection.run(sql);
  }

  /** Change DuckDB's memory limit (e.g. '512MB') for the queries that follow. */
  async setMemoryLimit(limit: string): Promise<void> {
    await this.connection.run(`SET memory_limit = ${quoteLiteral(limit)}`);
  }

  /** Back to the limit the session would have been opened with. */
  async resetMemoryLimit(): Promise<void> {
    await this.setMemoryLimit(memoryLimitFromEnv() ?? defaultMemoryLimit());
  }

  /** Run a query and return its rows as plain JS objects (BIGINT as bigint, TIMESTAMP as Date). */
  async rows(sql: string, params?: Record<string, DuckDBValue>): Promise<JsRow[]> {
    const reader = params
      ? await this.connection.runAndReadAll(sql, params)
      : await this.connection.runAndReadAll(sql);
    return reader.convertRowObjects(JSDuckDBValueConverter) as JsRow[];
  }

  async scalar(sql: string, params?: Record<string, DuckDBValue>): Promise<unknown> {
    const rows = await this.rows(sql, params);
    const first = rows[0];
    return first === undefined ? undefined : Object.values(first)[0];
  }

  /**
   * Stream a query's result chunk by chunk (lazy evaluation, bounded memory). DuckDB keeps one
   * open streaming result per connection, so each stream gets a connection of its own and the
   * main one stays free for writes while the stream is read. Call `close` when done.
   */
  async stream(
    sql: string,
    options: { storedOrder?: boolean } = {},
  ): Promise<{ result: DuckDBResult; close: () => void }> {
    const connection = await this.instance.connect();
    try {
      // The database may reorder rows for speed (preserve_insertion_order is off); a query
      // that must see a file's rows in their stored order turns it back on for its connection.
      if (options.storedOrder) await connection.run('SET SESSION preserve_insertion_order = true');
      const result = await connection.stream(sql);
      return { result, close: () => connection.closeSync() };
    } catch (error) {
      connection.closeSync();
      throw error;
    }
  }

  /** A second connection for writing while a result of the main one is being streamed. */
  async connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  /** Column names and types of a relation (table, view or parenthesised query). */
  async describe(relation: string): Promise<ColumnInfo[]> {
    const result = await this.connection.run(`SELECT * FROM ${relation} LIMIT 0`);
    const names = result.columnNames();
    const types: DuckDBType[] = result.columnTypes();
    return names.map((name, i) => ({ name, type: types[i]!.toString() }));
  }

  async columnsOf(name: string): Promise<ColumnInfo[]> {
    return this.describe(quoteIdent(name));
  }

  /**
   * The same database on a connection of its own, for work that runs alongside this session's:
   * it sees the database's tables and views but not this connection's TEMP tables, and its
   * close() closes only that connection.
   */
  async fork(): Promise<Session> {
    const connection = await this.instance.connect();
    try {
      await connection.run("SET TimeZone = 'UTC'").catch(() => undefined);
      return new Session(this.instance, connection, this.spillDir, false);
    } catch (error) {
      connection.closeSync();
      throw error;
    }
  }

  close(): void {
    this.connection.closeSync();
    if (!this.owner) return;
    this.instance.closeSync();
    rmSync(this.spillDir, { recursive: true, force: true });
  }
}

/** Open a session, run `work`, and always close it. */
export async function withSession<T>(
  work: (session: Session) => Promise<T>,
  options?: SessionOptions,
): Promise<T> {
  const session = await Session.open(options);
  try {
    return await work(session);
  } finally {
    session.close();
  }
}
