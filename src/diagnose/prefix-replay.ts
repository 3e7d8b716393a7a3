// One probe of the first-divergence bisection: the first k events of sampled windows go through a
// fresh instance of the streaming module, in a watched replay worker like the replay's own
// (its --timeout and --memory-limit), and through the batch SQL, in a fenced database holding
// those events as `events`; each window's row is compared on the two outputs with the
// run's tolerances.
import { jsonValue } from '../diff/json-value.js';
import type { JsonValue, Tolerance } from '../diff/types.js';
import { type ColumnInfo, type JsRow, quoteIdent, type Session } from '../io/index.js';
import {
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_MEMORY_LIMIT_MB,
  sharedTranspiles,
} from '../replay/replay-workers.js';
import type { ReplayedLog } from '../replay/replayed-log.js';
import { ReplayWorkers } from '../replay/worker-pool.js';
import { FencedBatchSql } from './fenced-sql.js';

export const PREFIX = '__fd_prefix';
const STREAM_OUT = '__fd_stream_out';
const BATCH_OUT = '__fd_batch_out';
/** Everything a probe creates (the stream's rows are in `<output>__raw` under a view). */
export const PROBE_TABLES = [PREFIX, STREAM_OUT, `${STREAM_OUT}__raw`, BATCH_OUT];

export interface ProbeSetup {
  session: Session;
  log: ReplayedLog;
  /** Columns of the log, in order (the prefix table has exactly these). */
  eventColumns: ColumnInfo[];
  /** The table of sampled events: `__sample`, `__seq`, then the log's columns. */
  eventsTable: string;
  /** The sampled rows: `__sample` and the align columns of the diff. */
  sampleTable: string;
  alignColumns: string[];
  /** Compared features, with the tolerance of each numeric one (null: compared exactly). */
  features: { name: string; tolerance: Tolerance | null }[];
  /** The worker replaying the prefixes, kept from probe to probe while it is sound. */
  workers?: ReplayWorkers;
  /** Probes run so far. */
  probes: number;
  /** Where the batch SQL re-runs, kept from probe to probe while it is sound. */
  sql?: FencedBatchSql;
}

/** Ends the probe's worker. */
export function stopProbes(setup: ProbeSetup): void {
  setup.workers?.stop();
  setup.workers = undefined;
  setup.sql?.close();
  setup.sql = undefined;
}

/**
 * The sampled rows (of `prefixes`: sample → k) whose window's row differs between the two sides
 * after the window's first k events. One replay and one SQL run serve every sample at once: the
 * caller never puts two samples of one key in a call, so their events cannot meet.
 */
export async function disagreementsAfter(
  setup: ProbeSetup,
  prefixes: Map<number, number>,
): Promise<Set<number>> {
  const { session } = setup;
  setup.probes++;
  const columns = setup.eventColumns.map((c) => `e.${quoteIdent(c.name)}`).join(', ');
  const pairs = [...prefixes].map(([sample, k]) => `(${Math.trunc(sample)}, ${Math.trunc(k)})`).join(', ');
  await session.run(
    `CREATE OR REPLACE TABLE ${PREFIX} AS SELECT ${columns} FROM ${quoteIdent(setup.eventsTable)} AS e
     JOIN (VALUES ${pairs}) AS p(sample, k) ON e.__sample = p.sample AND e.__seq <= p.k
     ORDER BY e.__sample, e.__seq`,
  );
  await replayPrefix(setup);
  await runSqlOnPrefix(setup);
  const samples = [...prefixes.keys()];
  const batch = await targetRows(setup, BATCH_OUT, samples);
  const stream = await targetRows(setup, STREAM_OUT, samples);
  const differing = new Set<number>();
  for (const sample of samples) {
    const b = batch.get(sample);
    const s = stream.get(sample);
    const differs =
      !b || !s
        ? Boolean(b) !== Boolean(s)
        : setup.features.some((f) => !sameValue(b[f.name], s[f.name], f.tolerance));
    if (differs) differing.add(sample);
  }
  return differing;
}

/**
 * The prefix through a fresh instance of the module: its module-level state must not leak
 * between probes. One worker serves probe after probe, loading the module afresh each time; a
 * worker whose run failed (a throw, a timeout) is replaced.
 */
async function replayPrefix(setup: ProbeSetup): Promise<void> {
  const { log } = setup;
  const fence = log.fence ?? {
    callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
    memoryLimitMb: DEFAULT_MEMORY_LIMIT_MB,
  };
  if (setup.workers?.alive) await setup.workers.again();
  else setup.workers = await ReplayWorkers.start(log.streamModulePath, 1, fence, sharedTranspiles());
  await setup.workers.replay({
    session: setup.session,
    source: { name: PREFIX, path: log.relation, format: 'parquet', columns: setup.eventColumns },
    outputTable: STREAM_OUT,
    partitioned: false,
    start: { keyColumns: log.keyColumns, timeColumn: log.timeColumn, order: { kind: 'event-time' } },
  });
}

/** The batch SQL over the prefix, in a fenced database where the prefix is `events` (fenced-sql.ts). */
async function runSqlOnPrefix(setup: ProbeSetup): Promise<void> {
  setup.sql ??= new FencedBatchSql(setup.session, setup.log);
  await setup.sql.run(`SELECT * FROM ${PREFIX}`, BATCH_OUT);
}

/** Each sample's row of the output, aligned as the diff aligns: as text, or times as TIMESTAMP. */
async function targetRows(setup: ProbeSetup, output: string, samples: number[]): Promise<Map<number, JsRow>> {
  const present = new Set((await setup.session.columnsOf(output)).map((c) => c.name));
  if (!setup.alignColumns.every((c) => present.has(c))) return new Map();
  const match = setup.alignColumns
    .map((c) => {
      const name = quoteIdent(c);
      return `(CAST(o.${name} AS VARCHAR) IS NOT DISTINCT FROM CAST(s.${name} AS VARCHAR) OR TRY_CAST(o.${name} AS TIMESTAMP) = TRY_CAST(s.${name} AS TIMESTAMP))`;
    })
    .join(' AND ');
  const rows = await setup.session.rows(
    `SELECT s.__sample AS __target, o.* FROM ${quoteIdent(output)} AS o, ${quoteIdent(setup.sampleTable)} AS s
     WHERE s.__sample IN (${samples.map((n) => Math.trunc(n)).join(', ')}) AND ${match}`,
  );
  const bySample = new Map<number, JsRow>();
  for (const row of rows) {
    const sample = Number(row.__target);
    if (!bySample.has(sample)) bySample.set(sample, row);
  }
  return bySample;
}

function sameValue(a: unknown, b: unknown, tolerance: Tolerance | null): boolean {
  const x: JsonValue = jsonValue(a);
  const y: JsonValue = jsonValue(b);
  if (x === null || y === null) return x === y;
  const nx = Number(x);
  const ny = Number(y);
  // Numbers of any DuckDB type (DECIMAL, HUGEINT, DOUBLE) compare by value, as the diff does.
  if (tolerance && typeof x !== 'boolean' && Number.isFinite(nx) && Number.isFinite(ny)) {
    return (
      nx === ny ||
      Math.abs(nx - ny) <= Math.max(tolerance.abs, tolerance.rel * Math.max(Math.abs(nx), Math.abs(ny)))
    );
  }
  return String(x) === String(y);
}
