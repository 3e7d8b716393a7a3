// Diagnosis (issue #5): for the differing rows of a replay or diff, test each known cause of
// training-serving skew against the data and report the causes that explain rows, with the
// numbers behind them. All row-level work is DuckDB SQL over the diff's joined table (and, for
// replay, the event log); JS sees counts and a few examples.

import type { JoinedRows } from '../diff/engine.js';
import type { Diagnosis } from '../diff/types.js';
import { UsageError } from '../errors.js';
import { quoteIdent, quoteLiteral } from '../io/index.js';
import type { ReplayedLog } from '../replay/replayed-log.js';
import { attribute, type RecordedFinding } from './attribute.js';
import { windowBounds } from './bounds.js';
import type { CheckContext, LogContext } from './check.js';
import { composeSecond, roundingResidue } from './compose.js';
import { extrapolate, SAMPLE_ABOVE_ROWS } from './extrapolate.js';
import { createRecompute, type Recompute } from './recompute.js';
import { CHECK_LIST } from './registry.js';
import { col, keysMatch } from './sql.js';
import { describeUnexplained } from './unexplained.js';

export { defineCheck } from './check.js';
export { DEFAULT_BISECT_SAMPLE, firstDivergenceProbe } from './first-divergence.js';
export { CHECKS, DIAGNOSIS_CODES, type DiagnosisCode } from './registry.js';

export interface DiagnoseOptions {
  /**
   * The event log both sides were computed from (replay): enables the checks that read events.
   * `eventIdColumn` names the column identifying an event (else id-like columns are tried);
   * `lateEventsTable` the events the stream dropped as late, used when it exists.
   */
  log?: Omit<ReplayedLog, 'keyColumns' | 'batchSqlPath' | 'streamModulePath'> &
    Partial<Pick<ReplayedLog, 'keyColumns' | 'batchSqlPath' | 'streamModulePath'>>;
  /** Called before each check runs (for a status line). */
  onProgress?: (check: string, done: number, total: number) => void;
}

/** Where arrival-order replay leaves the events it dropped (the replay harness's contract). */
export const DEFAULT_LATE_EVENTS_TABLE = '__skewcheck_late_events';

/** An `inspect` hook for diffTables that diagnoses the differing rows. */
export function diagnoser(options: DiagnoseOptions = {}): (joined: JoinedRows) => Promise<Diagnosis[]> {
  return (joined) => diagnose(joined, options);
}

const ROWS = '__diag_rows';
const UNATTRIBUTED = '__diag_unattributed';
const SAMPLED = '__diag_sampled_rows';
const SAMPLED_JOINED = '__diag_sampled_joined';

export async function diagnose(joined: JoinedRows, options: DiagnoseOptions = {}): Promise<Diagnosis[]> {
  const { session } = joined;
  const temporaries: string[] = [];
  const temp = (name: string) => {
    const full = `__diag_${name}`;
    if (!temporaries.includes(full)) temporaries.push(full);
    return full;
  };
  let recompute: Recompute | undefined;
  const started = performance.now();
  // Phase timings on stderr with SKEWCHECK_DEBUG, like the replay's (never in the result).
  const lap = (phase: string) => {
    if (process.env.SKEWCHECK_DEBUG)
      process.stderr.write(
        `[skewcheck] diagnose: ${phase} at ${(performance.now() - started).toFixed(0)} ms\n`,
      );
  };
  try {
    // First, so that a wrong --event-id is reported whether or not rows differ.
    const log = options.log ? await logContext(joined, options.log) : undefined;
    const total = Number(
      await session.scalar(`SELECT count(*) FROM ${quoteIdent(joined.table)} WHERE __status <> 'match'`),
    );
    if (total === 0) return [];
    const joinedTypes = new Map((await session.columnsOf(joined.table)).map((c) => [c.name, c.type]));
    const windowBounds = await createRows(joined, joinedTypes, log);
    const context: CheckContext = {
      session,
      joined,
      joinedTypes,
      rows: ROWS,
      remaining: ROWS,
      windowBounds,
      log,
      labels: { left: joined.left.label, right: joined.right.label },
      temp,
      tried: [],
    };

    lap('differing rows');
    recompute = await createRecompute(context);
    lap('recompute ready');
    context.recompute = recompute;
    if (process.env.SKEWCHECK_DEBUG) {
      const r = context.recompute;
      process.stderr.write(
        `[skewcheck] diagnose: recompute ${r ? `on ${r.sampledRows} of ${r.totalRows} differing rows` : 'unavailable'}\n`,
      );
    }
    // Many differing rows: the checks judge those of the sampled keys; the winner is carried
    // to the others by its pattern (extrapolate.ts).
    const sampleOnly = recompute !== undefined && total > SAMPLE_ABOVE_ROWS && recompute.sampledRows < total;
    if (sampleOnly) await judgeSample(context, recompute!);
    const findings = await runChecks(context, options);
    lap('checks');
    options.onProgress?.('two causes at once', CHECK_LIST.length, CHECK_LIST.length + 1);
    findings.push(...(await composeSecond(context, findings)));
    findings.push(...roundingResidue(findings));
    if (sampleOnly) {
      Object.assign(context, { rows: ROWS, remaining: ROWS, joined, log });
      const carried = await extrapolate(context, findings, ROWS);
      if (carried) findings.push(carried);
    }
    lap('compositions and pattern');
    const { diagnoses, attributed } = await attribute(context, findings, total);
    lap('attribution');
    if (attributed < total) {
      await session.run(
        `CREATE OR REPLACE TEMP VIEW ${UNATTRIBUTED} AS SELECT * FROM ${ROWS} WHERE __row NOT IN (SELECT __row FROM ${temp('attributed')})`,
      );
      diagnoses.push(
        await describeUnexplained({ ...context, remaining: UNATTRIBUTED }, total - attributed, total),
      );
    }
    lap('unexplained');
    return diagnoses;
  } finally {
    await recompute?.close();
    await session.run(`DROP VIEW IF EXISTS ${UNATTRIBUTED}`);
    for (const name of [ROWS, SAMPLED, SAMPLED_JOINED, ...temporaries])
      await session.run(`DROP TABLE IF EXISTS ${name}`);
  }
}

/**
 * From here on the checks judge the differing rows of the sampled keys, the joined rows of those
 * keys and their events: a bounded cost however many rows differ.
 */
async function judgeSample(context: CheckContext, recompute: Recompute): Promise<void> {
  const { session, joined } = context;
  recompute.byPattern = true;
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${SAMPLED} AS SELECT * FROM ${ROWS} WHERE __row IN (SELECT __row FROM ${recompute.sampled})`,
  );
  const keys = joined.keyColumns.map((k) => col(undefined, k)).join(', ');
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${SAMPLED_JOINED} AS SELECT j.* FROM ${quoteIdent(joined.table)} AS j
     SEMI JOIN (SELECT DISTINCT ${keys} FROM ${SAMPLED}) AS s
       ON ${keysMatch(joined.keyColumns, { alias: 'j', types: context.joinedTypes }, { alias: 's', types: context.joinedTypes })}`,
  );
  context.rows = context.remaining = SAMPLED;
  context.joined = { ...joined, table: SAMPLED_JOINED };
  if (context.log) context.log = { ...context.log, relation: recompute.logTable };
}

async function runChecks(context: CheckContext, options: DiagnoseOptions): Promise<RecordedFinding[]> {
  const findings: RecordedFinding[] = [];
  for (const [i, check] of CHECK_LIST.entries()) {
    options.onProgress?.(check.code, i, CHECK_LIST.length + 1);
    const started = performance.now();
    const before = context.tried!.length;
    const found = await check.run(context);
    for (const tried of context.tried!.slice(before)) tried.code = check.code;
    // Timings on stderr with SKEWCHECK_DEBUG, like the replay phases (never in the result).
    if (process.env.SKEWCHECK_DEBUG) {
      const ms = (performance.now() - started).toFixed(0);
      process.stderr.write(`[skewcheck] diagnose ${check.code}: ${ms} ms\n`);
    }
    for (const finding of [found ?? []].flat())
      findings.push({ code: check.code, fixHint: check.fixHint, finding });
  }
  return findings;
}

async function logContext(joined: JoinedRows, log: NonNullable<DiagnoseOptions['log']>): Promise<LogContext> {
  const { session } = joined;
  const columns = await session.columnsOf(log.relation);
  const types = new Map(columns.map((c) => [c.name, c.type]));
  if (log.eventIdColumn !== undefined && !types.has(log.eventIdColumn)) {
    throw new UsageError(
      `--event-id names "${log.eventIdColumn}", which is not a column of the event log (its columns: ${columns.map((c) => c.name).join(', ')})`,
    );
  }
  const lateTable = log.lateEventsTable ?? DEFAULT_LATE_EVENTS_TABLE;
  const exists = Number(
    await session.scalar(
      `SELECT count(*) FROM (SELECT table_name AS name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views()) WHERE name = ${quoteLiteral(lateTable)}`,
    ),
  );
  return {
    relation: log.relation,
    timeColumn: log.timeColumn,
    columns,
    types,
    window: log.window,
    eventIdColumn: log.eventIdColumn,
    lateEventsTable: exists > 0 ? lateTable : undefined,
    batchSqlPath: log.batchSqlPath,
  };
}

/** The differing rows with stable ids and their window bounds; returns whether the bounds are known. */
async function createRows(
  joined: JoinedRows,
  types: ReadonlyMap<string, string>,
  log: LogContext | undefined,
): Promise<boolean> {
  const align = [...joined.keyColumns, ...joined.timeColumns];
  const order = align.map((c) => `${col(undefined, c)} ASC NULLS FIRST`).join(', ');
  const { start, end } = windowBounds(joined, types, log?.window);
  await joined.session.run(
    `CREATE OR REPLACE TEMP TABLE ${ROWS} AS
     SELECT row_number() OVER (ORDER BY ${order ? `${order}, ` : ''}__status) AS __row, *,
       CAST(${start} AS TIMESTAMP) AS __ws, CAST(${end} AS TIMESTAMP) AS __we
     FROM ${quoteIdent(joined.table)} WHERE __status <> 'match'`,
  );
  return end !== 'NULL';
}
