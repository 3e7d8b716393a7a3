// Runs the user's batch feature SQL over the `events` view and keeps the result of its last
// statement as a table for the diff. The result's chunks go straight back into DuckDB through
// the Appender, so nothing is converted to JS on the way.
import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError, messageOf } from '../errors.js';
import { StatementType } from '../io/duckdb.js';
import { type ColumnInfo, isFenceError, protectInput, quoteIdent, type Session } from '../io/index.js';
import { splitSqlError, statementStartLines } from '../io/sql-errors.js';

export interface BatchRun {
  table: string;
  rows: number;
  columns: ColumnInfo[];
  statements: number;
}

const STATEMENT_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(StatementType)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v as number, k]),
);

/**
 * Run the batch SQL file and keep its result as `outputTable`. It runs on a connection of its
 * own, so the streaming replay can proceed at the same time on the other core.
 */
export async function runBatchSql(
  session: Session,
  sqlPath: string,
  outputTable: string,
  signal?: AbortSignal,
  sandbox?: Session,
): Promise<BatchRun> {
  // The SQL runs in the sandbox when there is one (see io/sandbox.ts); its result lands in `session`.
  const connection = await (sandbox ?? session).connect();
  const interrupt = () => connection.interrupt();
  signal?.addEventListener('abort', interrupt);
  try {
    return await runBatchSqlOn(connection, session, sqlPath, outputTable);
  } finally {
    signal?.removeEventListener('abort', interrupt);
    connection.closeSync();
  }
}

/**
 * Run the batch SQL file on a connection the caller holds, e.g. one where a temporary view
 * shadows `events` with a part of the log (the first-divergence bisection).
 */
export async function runBatchSqlOn(
  connection: DuckDBConnection,
  session: Session,
  sqlPath: string,
  outputTable: string,
): Promise<BatchRun> {
  let sql: string;
  try {
    sql = readFileSync(sqlPath, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read the batch SQL file ${sqlPath}: ${messageOf(error)}`, { file: sqlPath });
  }
  protectInput(sqlPath, `batch SQL file ${sqlPath}`);
  if (sql.trim() === '') throw new InputError(`the batch SQL file ${sqlPath} is empty`, { file: sqlPath });
  const starts = statementStartLines(sql);
  const fail = (error: unknown, index?: number, count?: number): never => {
    throw sqlError(sqlPath, error, { index, count, starts });
  };
  let extracted: Awaited<ReturnType<DuckDBConnection['extractStatements']>>;
  if (starts.length === 0) {
    throw new InputError(`the batch SQL file ${sqlPath} has no statements (only comments or blanks)`, {
      file: sqlPath,
    });
  }
  try {
    extracted = await connection.extractStatements(sql);
  } catch (error) {
    return fail(error);
  }
  const count = extracted.count;
  if (count === 0) throw new InputError(`the batch SQL file ${sqlPath} has no statements`, { file: sqlPath });
  for (let i = 0; i < count - 1; i++) {
    try {
      const prepared = await extracted.prepare(i);
      await prepared.run();
    } catch (error) {
      fail(error, i, count);
    }
  }
  let rows = 0;
  let columns: ColumnInfo[] = [];
  try {
    const last = await extracted.prepare(count - 1);
    if (last.statementType !== StatementType.SELECT && last.statementType !== StatementType.PRAGMA) {
      throw new InputError(
        `the last statement of ${sqlPath} must be a query (SELECT, WITH or FROM …) whose rows are the batch features; it is a ${STATEMENT_NAMES[last.statementType] ?? 'non-query'} statement`,
        { file: sqlPath },
      );
    }
    const result = await last.stream();
    const names = result.columnNames();
    const types = result.columnTypes();
    columns = names.map((name, i) => ({ name, type: types[i]!.toString() }));
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) {
      throw new InputError(`the result of ${sqlPath} has two columns named "${duplicate}"`, {
        file: sqlPath,
        column: duplicate,
      });
    }
    // The result is streaming on the main connection, so the table is written through another.
    const writer = await session.connect();
    try {
      const ddl = names.map((n, i) => `${quoteIdent(n)} ${types[i]!.toString()}`).join(', ');
      await writer.run(`CREATE OR REPLACE TABLE ${quoteIdent(outputTable)} (${ddl})`);
      const appender = await writer.createAppender(outputTable);
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        appender.appendDataChunk(chunk);
        rows += chunk.rowCount;
      }
      appender.closeSync();
    } finally {
      writer.closeSync();
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    fail(error, count - 1, count);
  }
  return { table: outputTable, rows, columns, statements: count };
}

/**
 * The user's SQL failed: name the file, the statement and the line (counted from the file's
 * start), and say so when the fence refused a file or network access.
 */
function sqlError(
  sqlPath: string,
  error: unknown,
  at: { index?: number; count?: number; starts: number[] },
): InputError {
  const { index, count, starts } = at;
  const { text, line } = splitSqlError(messageOf(error));
  // DuckDB counts lines from the start of the text it parsed: the whole file. Without a line,
  // point at the statement's first line.
  const sameSplit = count !== undefined && starts.length === count;
  const fileLine = line ?? (index !== undefined && sameSplit ? starts[index] : undefined);
  const which =
    index !== undefined && count !== undefined && count > 1 ? ` (statement ${index + 1} of ${count})` : '';
  const where = fileLine !== undefined ? `${sqlPath}:${fileLine}` : sqlPath;
  const fence = isFenceError(text)
    ? '. The feature SQL runs without file or network access (it reads only the inputs skewcheck provides); pass --allow-external-access, or allowExternalAccess: true in the config, to lift this'
    : '';
  return new InputError(`SQL error in ${where}${which}: ${text}${fence}`, {
    file: sqlPath,
    ...(fileLine !== undefined ? { line: fileLine } : {}),
  });
}
