// The user's batch SQL re-run for the diagnosis (an intervention over transformed events, or a
// bisection step over a prefix of windows) gets the same fence as the replay's own run: a DuckDB
// of its own where `events` is the transformed copy, no file or network access unless the run
// allows it, nothing of skewcheck's tables in reach. A SQL file that drops or replaces tables
// cannot change what the diagnosis reads, and one that the replay ran harmlessly cannot do more
// here. The database is reused from run to run only while that cannot change a result (see
// RerunSandbox).
import { runBatchSql } from '../batch/index.js';
import { RerunSandbox, type Session } from '../io/index.js';
import type { ReplayedLog } from '../replay/replayed-log.js';

type SqlLog = Pick<ReplayedLog, 'batchSqlPath' | 'timeColumn' | 'allowExternalAccess'>;

/** The name the batch SQL reads its events by (the batch contract), whatever the diagnosis calls its copy. */
const EVENTS = 'events';

export class FencedBatchSql {
  private readonly sandbox: RerunSandbox;

  constructor(
    private readonly session: Session,
    private readonly log: SqlLog,
  ) {
    this.sandbox = new RerunSandbox({ allowExternalAccess: log.allowExternalAccess });
  }

  /** Run the log's batch SQL over `eventsSql` (a SELECT on the session); the result lands in the session as `output`. */
  async run(eventsSql: string, output: string): Promise<void> {
    const sandbox = await this.sandbox.load(this.session, [
      { name: EVENTS, select: eventsSql, timeColumn: this.log.timeColumn },
    ]);
    let statements = 0;
    try {
      statements = (await runBatchSql(this.session, this.log.batchSqlPath, output, undefined, sandbox))
        .statements;
    } finally {
      this.sandbox.release(statements === 1);
    }
  }

  close(): void {
    this.sandbox.close();
  }
}
