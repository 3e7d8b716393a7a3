// One probe of the first-divergence bisection: the first k events of a sampled window go through
// a fresh instance of the streaming module and through the batch SQL (on a connection where a
// temporary view shadows `events` with those k events), and the window's row is compared on the
// two outputs with the run's tolerances.
import { runBatchSqlOn } from '../batch/index.js';
import { jsonValue } from '../diff/json-value.js';
import type { JsonValue, Tolerance } from '../diff/types.js';
import { type ColumnInfo, type JsRow, quoteIdent, type Session } from '../io/index.js';
import { runHarness } from '../replay/harness.js';
import type { LoadedModule } from '../replay/module-loader.js';
import type { ReplayedLog } from '../replay/replayed-log.js';

export const PREFIX = '__fd_prefix';
const STREAM_OUT = '__fd_stream_out';
const BATCH_OUT = '__fd_batch_out';
/** Everything a probe creates (the harness keeps the stream's rows in `<output>__raw` under a view). */
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
  /** Loads the streaming module fresh for each probe. */
  load: (path: string) => Promise<LoadedModule>;
  /** Probes run so far. */
  probes: number;
}

/** Whether the window's row differs between the two sides after its first k events. */
export async function disagreesAfter(setup: ProbeSetup, sample: number, k: number): Promise<boolean> {
  const { session } = setup;
  setup.probes++;
  const columns = setup.eventColumns.map((c) => quoteIdent(c.name)).join(', ');
  await session.run(
    `CREATE OR REPLACE TABLE ${PREFIX} AS SELECT ${columns} FROM ${quoteIdent(setup.eventsTable)}
     WHERE __sample = ${sample} AND __seq <= ${k} ORDER BY __seq`,
  );
  // A fresh instance: module-level state of the user's code must not leak between probes.
  const module = await setup.load(setup.log.streamModulePath);
  await runHarness(
    session,
    { name: PREFIX, path: setup.log.relation, format: 'parquet', columns: setup.eventColumns },
    module,
    { keyColumns: setup.log.keyColumns, timeColumn: setup.log.timeColumn, outputTable: STREAM_OUT },
  );
  const connection = await session.connect();
  try {
    await connection.run(
      `CREATE OR REPLACE TEMP VIEW ${quoteIdent(setup.log.relation)} AS SELECT * FROM ${PREFIX}`,
    );
    await runBatchSqlOn(connection, session, setup.log.batchSqlPath, BATCH_OUT);
  } finally {
    connection.closeSync();
  }
  const batch = await targetRow(setup, BATCH_OUT, sample);
  const stream = await targetRow(setup, STREAM_OUT, sample);
  if (!batch || !stream) return Boolean(batch) !== Boolean(stream);
  return setup.features.some((f) => !sameValue(batch[f.name], stream[f.name], f.tolerance));
}

/** The output's row for the sampled (key, window), aligned as the diff aligns: as text, times as TIMESTAMP. */
async function targetRow(setup: ProbeSetup, output: string, sample: number): Promise<JsRow | undefined> {
  const present = new Set((await setup.session.columnsOf(output)).map((c) => c.name));
  if (!setup.alignColumns.every((c) => present.has(c))) return undefined;
  const match = setup.alignColumns
    .map((c) => {
      const name = quoteIdent(c);
      return `(CAST(o.${name} AS VARCHAR) IS NOT DISTINCT FROM CAST(s.${name} AS VARCHAR) OR TRY_CAST(o.${name} AS TIMESTAMP) = TRY_CAST(s.${name} AS TIMESTAMP))`;
    })
    .join(' AND ');
  const rows = await setup.session.rows(
    `SELECT o.* FROM ${quoteIdent(output)} AS o, ${quoteIdent(setup.sampleTable)} AS s
     WHERE s.__sample = ${sample} AND ${match} LIMIT 1`,
  );
  return rows[0];
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
