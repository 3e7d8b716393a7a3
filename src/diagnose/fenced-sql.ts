// The user's batch SQL re-run for the diagnosis (an intervention over transformed events) gets
// the same fence as the replay's own run: a fresh DuckDB of its own where `events` is the
// transformed copy, no file or network access unless the run allows it, nothing of skewcheck's
// tables in reach. A SQL file that drops or replaces tables cannot change what the diagnosis
// reads, and one that the replay ran harmlessly cannot do more here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBatchSql } from '../batch/index.js';
import { openSqlSandbox, quoteLiteral, type Session } from '../io/index.js';
import type { ReplayedLog } from '../replay/replayed-log.js';

type SqlLog = Pick<ReplayedLog, 'batchSqlPath' | 'timeColumn' | 'allowExternalAccess'>;

/** The name the batch SQL reads its events by (the batch contract), whatever the diagnosis calls its copy. */
const EVENTS = 'events';

/** Run the log's batch SQL over `eventsSql` (a SELECT on `session`) in a fenced sandbox; the result lands in `session` as `output`. */
export async function runBatchSqlFenced(
  session: Session,
  log: SqlLog,
  eventsSql: string,
  output: string,
): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'skewcheck-intervention-'));
  const file = join(scratch, 'events.parquet');
  try {
    await session.run(
      `COPY (${eventsSql}) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION uncompressed)`,
    );
    const sandbox = await openSqlSandbox(
      [{ name: EVENTS, path: file, format: 'parquet', what: 'event log', timeColumn: log.timeColumn }],
      { allowExternalAccess: log.allowExternalAccess },
    );
    try {
      await runBatchSql(session, log.batchSqlPath, output, undefined, sandbox);
    } finally {
      sandbox.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
