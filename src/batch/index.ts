// Runs the user's batch feature SQL over the `events` view and keeps the result of its last
// statement as a table for the diff. The result's chunks go straight back into DuckDB through
// the Appender, so nothing is converted to JS on the way.
import { readFileSync } from 'node:fs';
import { type DuckDBConnection, StatementType } from '@duckdb/node-api';
import { InputError, messageOf } from '../errors.js';
import { type ColumnInfo, quoteIdent, type Session } from '../io/index.js';

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
): Promise<BatchRun> {
  const connection = await session.connect();
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
  if (sql.trim() === '') throw new InputError(`the batch SQL file ${sqlPath} is empty`, { file: sqlPath });
  const fail = (error: unknown, index?: number, count?: number): never => {
    const which =
      index !== undefined && count !== undefined && count > 1 ? ` (statement ${index + 1} of ${count})` : '';
    const message = messageOf(error).replace(/^Failed to extract statements:\s*/, '');
    throw new InputError(`SQL error in ${sqlPath}${which}: ${message}`, { file: sqlPath });
  };
  let extracted: Awaited<ReturnType<DuckDBConnection['extractStatements']>>;
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
