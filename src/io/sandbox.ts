// A DuckDB database of its own for the user's SQL. The feature SQL sees its inputs under the
// names it expects (`events`) and nothing of skewcheck's: it cannot replace or drop what the
// streaming replay reads, nor touch the tables being diffed. Once the inputs are in, the
// database is fenced: no file or network access (no COPY … TO, ATTACH, INSTALL, read_text of
// arbitrary paths) and its configuration is locked so the SQL cannot lift the fence. The
// inputs are copied into tables first, since a view over a file would need that file
// allowed, and DuckDB lets an allowed path be written as well as read.
import { InputError, messageOf } from '../errors.js';
import { Session, type SessionOptions } from './session.js';
import { type Format, registerSource } from './sources.js';
import { quoteIdent } from './sql.js';

export interface SandboxInput {
  /** The name the user's SQL reads it by, e.g. `events`. */
  name: string;
  path: string;
  format?: Format;
  /** How to name it in an error message, e.g. "event log". */
  what: string;
  /** A time column read as text (CSV, JSON) that the SQL sees as TIMESTAMP, as the replay does. */
  timeColumn?: string;
  /** A SQL predicate over the input's columns: the SQL sees only the rows it holds for (e.g. one shard's keys). */
  where?: string;
}

export interface SandboxOptions extends SessionOptions {
  /** Leave DuckDB's file and network access on (and the inputs as views over their files). */
  allowExternalAccess?: boolean;
}

/** Open the user's database with `inputs` registered (and copied in), fenced unless allowed. */
export async function openSqlSandbox(inputs: SandboxInput[], options: SandboxOptions = {}): Promise<Session> {
  const sandbox = await Session.open(options);
  try {
    for (const input of inputs) {
      const source = await registerSource(sandbox, input.name, input.path, {
        format: input.format,
        what: input.what,
      });
      const textTime = source.columns.some((c) => c.name === input.timeColumn && c.type === 'VARCHAR');
      // Arrow inputs are tables already; with external access the others stay views over their files.
      const copied = textTime || input.where !== undefined;
      if (!copied && (options.allowExternalAccess || source.format === 'arrow')) continue;
      const name = quoteIdent(input.name);
      const copy = quoteIdent(`${input.name}__copy`);
      const t = quoteIdent(input.timeColumn ?? '');
      const rows = textTime ? `* REPLACE (CAST(${t} AS TIMESTAMP) AS ${t})` : '*';
      const kind = source.format === 'arrow' ? 'TABLE' : 'VIEW';
      try {
        const where = input.where === undefined ? '' : ` WHERE ${input.where}`;
        await sandbox.run(`CREATE TABLE ${copy} AS SELECT ${rows} FROM ${name}${where}`);
        await sandbox.run(`DROP ${kind} ${name}`);
        await sandbox.run(`ALTER TABLE ${copy} RENAME TO ${name}`);
      } catch (error) {
        throw new InputError(`cannot read ${input.what} ${input.path}: ${messageOf(error)}`, {
          file: input.path,
        });
      }
    }
    if (!options.allowExternalAccess) await fence(sandbox);
    return sandbox;
  } catch (error) {
    sandbox.close();
    throw error;
  }
}

/** An input of a rerun sandbox: the rows of a query on another session, under the name the SQL reads. */
export interface RerunInput {
  name: string;
  /** A SELECT on the session the rows come from. */
  select: string;
  /** A time column that arrives as text is given to the SQL as TIMESTAMP (as openSqlSandbox does). */
  timeColumn?: string;
}

/**
 * A fenced database for running the same SQL many times over different inputs (the diagnosis
 * re-runs the batch SQL once per hypothesis and per bisection step): opening a DuckDB costs tens
 * of milliseconds, more than a small rerun. Each load replaces the inputs with rows streamed from
 * another session (no file in between, so the fence stays up). The database is kept for the next
 * run only when nothing the SQL did can outlive it: the fence locks the configuration (no SET
 * carries over), the SQL was a single query (no CREATE of a table, view, macro or sequence) and
 * it ran on a connection of its own (closed with its temporary objects). Otherwise — more than
 * one statement, a failed run, or external access allowed — the next load opens a fresh one.
 */
export class RerunSandbox {
  private sandbox: Session | undefined;

  constructor(private readonly options: SandboxOptions = {}) {}

  /** A sandbox holding `inputs`, fenced unless external access is allowed. */
  async load(from: Session, inputs: RerunInput[]): Promise<Session> {
    if (!this.sandbox) {
      const fresh = await Session.open(this.options);
      try {
        if (!this.options.allowExternalAccess) await fence(fresh);
      } catch (error) {
        fresh.close();
        throw error;
      }
      this.sandbox = fresh;
    }
    try {
      for (const input of inputs) await copyInto(from, input, this.sandbox);
      return this.sandbox;
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** After a run: keep the database when `singleQuery` (the run was one query and succeeded) and fenced. */
  release(singleQuery: boolean): void {
    if (!singleQuery || this.options.allowExternalAccess) this.close();
  }

  close(): void {
    this.sandbox?.close();
    this.sandbox = undefined;
  }
}

/** Replace table `input.name` of `to` by the rows of `input.select` on `from`, chunk by chunk. */
async function copyInto(from: Session, input: RerunInput, to: Session): Promise<void> {
  const columns = await from.describe(`(${input.select})`);
  const text = columns.some((c) => c.name === input.timeColumn && c.type === 'VARCHAR');
  const t = quoteIdent(input.timeColumn ?? '');
  const select = text
    ? `SELECT * REPLACE (CAST(${t} AS TIMESTAMP) AS ${t}) FROM (${input.select})`
    : input.select;
  const { result, close } = await from.stream(select);
  try {
    const names = result.columnNames();
    const types = result.columnTypes();
    const name = quoteIdent(input.name);
    await to.run(`DROP TABLE IF EXISTS ${name}`);
    await to.run(
      `CREATE TABLE ${name} (${names.map((n, i) => `${quoteIdent(n)} ${types[i]!.toString()}`).join(', ')})`,
    );
    const appender = await to.connection.createAppender(input.name);
    try {
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        appender.appendDataChunk(chunk);
      }
    } finally {
      appender.closeSync();
    }
  } finally {
    close();
  }
}

/** No file system or network from SQL any more, and no SET that would give it back. */
async function fence(session: Session): Promise<void> {
  await session.run('SET enable_external_access = false');
  await session.run('SET lock_configuration = true');
}

/** Whether a DuckDB error is the fence refusing something (to explain it to the user). */
export function isFenceError(message: string): boolean {
  return /file system operations are disabled by configuration|disabled through configuration|configuration has been locked/i.test(
    message,
  );
}
