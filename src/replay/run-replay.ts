// `replay`: one event log, two implementations (batch SQL and a streaming module), one diff.
// Phases: open and check the log → choose the replay order → batch SQL and stream at once →
// diff → the replay section of the result.
import { type BatchRun, runBatchSql } from '../batch/index.js';
import { type DiffOptions, type DiffResult, diffTables, jsonValue, type Tolerance } from '../diff/index.js';
import { InputError } from '../errors.js';
import {
  concurrentMemoryLimit,
  type Format,
  openSqlSandbox,
  protectInput,
  registerSource,
  type Session,
  type Source,
  withSession,
} from '../io/index.js';
import type { ShardInput, ShardSpec } from '../shard/index.js';
import { arrivalColumnOrder, type SimulatedDelay, simulatedDelayOrder } from './arrival.js';
import { type EventLogInfo, inspectEventLog, parseTextTimeColumn } from './event-reader.js';
import { lateEventsNote, nullTimeNote } from './notes.js';
import type { HarnessStats, ReplayOrder } from './replay-run.js';
import type { ReplayedLog } from './replayed-log.js';
import { fenceOf, replayOnWorkers, startStreamWorkers } from './run-stream.js';
import { checkShardable, describeReplayShard, sandboxShardFilter, shardEventLog } from './shard-replay.js';
import type { LoadedModuleInfo, ReplayWorkers } from './worker-pool.js';

export interface ReplayOptions {
  eventsPath: string;
  format?: Format;
  batchSqlPath: string;
  streamModulePath: string;
  keyColumns: string[];
  timeColumn: string;
  tolerance?: Tolerance;
  featureTolerances?: Record<string, Tolerance>;
  maxMismatchRate?: number;
  sampleSize?: number;
  mismatchesPath?: string;
  /** The column identifying an event, for the duplicate-events diagnosis (else id-like columns are tried). */
  eventIdColumn?: string;
  /** Replay in arrival order by this ingestion-time column instead of event-time order. */
  arrivalColumn?: string;
  /** Replay in a simulated arrival order (seeded delays). */
  simulateDelay?: SimulatedDelay;
  /** Arrival order: how far behind the largest event time seen the watermark trails, ms. */
  maxOutOfOrdernessMs?: number;
  /** Arrival order: how long after the watermark passes its end a window accepts late events, ms. */
  allowedLatenessMs?: number;
  /** Replay only the keys of this shard (`--shard i/N`): event-time order and keyed features only. */
  shard?: ShardSpec;
  /** Called once the log is counted, then after every batch of events. */
  onProgress?: (eventsDone: number, eventsTotal: number) => void;
  /** Let the batch SQL read files and reach the network (off by default: it sees only `events`). */
  allowExternalAccess?: boolean;
  /** Longest one call into the streaming module may run, ms (default 60 s). */
  callTimeoutMs?: number;
  /** Heap ceiling of each replay worker, MiB (default 4096). */
  memoryLimitMb?: number;
  /** Worker threads for a keyed feature in event-time order (default: the machine's cores). */
  workers?: number;
  /** Builds the diff's `inspect` hook (e.g. the diagnosis) once the log is replayed. */
  inspect?: (log: ReplayedLog) => DiffOptions['inspect'];
}

const BATCH_TABLE = '__skewcheck_batch_output';
const STREAM_TABLE = '__skewcheck_stream_output';

/** Phase timings on stderr when SKEWCHECK_DEBUG is set (kept out of the result: it must be deterministic). */
function phaseTimer(): (phase: string) => void {
  const start = performance.now();
  const enabled = Boolean(process.env.SKEWCHECK_DEBUG);
  return (phase) => {
    const at = ((performance.now() - start) / 1000).toFixed(2);
    if (enabled) process.stderr.write(`[skewcheck] ${at} s: ${phase} done\n`);
  };
}

/** Registers the log as `events`, parses a text time column, and refuses a log with nothing to replay. */
async function openEventLog(
  session: Session,
  options: ReplayOptions,
): Promise<{ source: Source; log: EventLogInfo; sharded?: ShardInput }> {
  const registered = await registerSource(session, 'events', options.eventsPath, {
    format: options.format,
    what: 'event log',
  });
  const parsed = await parseTextTimeColumn(session, registered, options.timeColumn);
  const { source, input: sharded } = await shardEventLog(session, parsed, options);
  const log = await inspectEventLog(session, source, options.timeColumn);
  // A shard may hold none of the keys (or only events without a time); the whole log may not.
  if ((sharded?.rows ?? log.rows) === 0) {
    throw new InputError(`the event log ${options.eventsPath} has no rows`, { file: options.eventsPath });
  }
  if (!sharded && log.rows === log.rowsWithoutTime) {
    throw new InputError(
      `every event in ${options.eventsPath} has a NULL "${options.timeColumn}": nothing can be replayed`,
      { file: options.eventsPath, column: options.timeColumn },
    );
  }
  if (options.eventIdColumn && !source.columns.some((c) => c.name === options.eventIdColumn)) {
    throw new InputError(
      `--event-id names "${options.eventIdColumn}", which is not a column of the event log ${options.eventsPath} (its columns: ${source.columns.map((c) => c.name).join(', ')})`,
      { file: options.eventsPath, column: options.eventIdColumn },
    );
  }
  return { source, log, sharded };
}

interface ChosenOrder {
  order: ReplayOrder;
  /** Simulated delays: how many events were delayed. */
  delayedEvents?: number;
}

async function chooseOrder(session: Session, source: Source, options: ReplayOptions): Promise<ChosenOrder> {
  const outOfOrderness = options.maxOutOfOrdernessMs ?? 0;
  if (options.arrivalColumn) {
    return { order: arrivalColumnOrder(source, options.arrivalColumn, outOfOrderness) };
  }
  if (options.simulateDelay) {
    return simulatedDelayOrder(session, source, options.timeColumn, options.simulateDelay, outOfOrderness);
  }
  return { order: { kind: 'event-time' } };
}

/**
 * The batch SQL (DuckDB threads) and the streaming replay (mostly the JS thread) at once. A
 * broken SQL file stops the replay at its next batch of events; a failed replay stops the SQL.
 */
async function replayBothSides(
  session: Session,
  opened: { source: Source; log: EventLogInfo; workers: ReplayWorkers; order: ReplayOrder },
  options: ReplayOptions,
  lap: (phase: string) => void,
): Promise<{ stats: HarnessStats; batch: BatchRun }> {
  // Two databases work at once here: each gets a share of memory; the diff gets the whole again.
  await session.setMemoryLimit(concurrentMemoryLimit());
  try {
    return await replayAndBatch(session, opened, options, lap);
  } finally {
    await session.resetMemoryLimit();
  }
}

async function replayAndBatch(
  session: Session,
  opened: { source: Source; log: EventLogInfo; workers: ReplayWorkers; order: ReplayOrder },
  options: ReplayOptions,
  lap: (phase: string) => void,
): Promise<{ stats: HarnessStats; batch: BatchRun }> {
  const { source, log, order, workers } = opened;
  let batchFailure: unknown;
  const stopBatch = new AbortController();
  // The SQL runs in a fenced database of its own (io/sandbox.ts): it cannot change the events
  // the stream replays, nor reach files or the network unless allowed.
  const batchRun = openSqlSandbox(
    [
      {
        name: 'events',
        path: options.eventsPath,
        format: options.format,
        what: 'event log',
        timeColumn: options.timeColumn,
        where: sandboxShardFilter(options),
      },
    ],
    { allowExternalAccess: options.allowExternalAccess, memoryLimit: concurrentMemoryLimit() },
  )
    .then((sandbox) =>
      runBatchSql(session, options.batchSqlPath, BATCH_TABLE, stopBatch.signal, sandbox).finally(() =>
        sandbox.close(),
      ),
    )
    .then(
      (run) => {
        lap('batch SQL');
        return run;
      },
      (error: unknown) => {
        batchFailure = error;
        return undefined;
      },
    );
  const total = log.rows - log.rowsWithoutTime;
  options.onProgress?.(0, total);
  const stats = await replayOnWorkers(
    session,
    { source, order, workers, outputTable: STREAM_TABLE, events: total },
    streamSide(options),
    (done) => {
      if (batchFailure) throw batchFailure;
      options.onProgress?.(done, total);
    },
  ).catch(async (error: unknown) => {
    if (batchFailure) throw batchFailure;
    stopBatch.abort();
    await batchRun;
    throw error;
  });
  lap('streaming replay');
  const batch = await batchRun;
  if (!batch) throw batchFailure;
  lap('waiting for the batch SQL');
  return { stats, batch };
}

function streamSide(options: ReplayOptions) {
  return { ...options, arrivalOrder: Boolean(options.arrivalColumn || options.simulateDelay) };
}

export async function runReplay(options: ReplayOptions): Promise<DiffResult> {
  const lap = phaseTimer();
  // Start the module first: a broken module fails in milliseconds, before any data is read.
  const workers = await startStreamWorkers(streamSide(options));
  try {
    protectInput(options.streamModulePath, `streaming module ${options.streamModulePath}`);
    checkShardable(options, workers.module.kind);
    return await withSession((session) => replayAndDiff(session, workers, options, lap));
  } finally {
    workers.stop();
  }
}

async function replayAndDiff(
  session: Session,
  workers: ReplayWorkers,
  options: ReplayOptions,
  lap: (phase: string) => void,
): Promise<DiffResult> {
  const module = workers.module;
  {
    const { source, log, sharded } = await openEventLog(session, options);
    const chosen = await chooseOrder(session, source, options);
    lap('open and inspect the event log');
    const { stats, batch } = await replayBothSides(
      session,
      { source, log, workers, order: chosen.order },
      options,
      lap,
    );
    const result = await diffTables(session, {
      command: 'replay',
      left: {
        table: BATCH_TABLE,
        label: 'batch',
        source: options.batchSqlPath,
        describe: `the batch output of ${options.batchSqlPath}`,
      },
      right: {
        table: STREAM_TABLE,
        label: 'stream',
        source: options.streamModulePath,
        describe: `the rows emitted by ${options.streamModulePath}`,
      },
      keyColumns: options.keyColumns,
      tolerance: options.tolerance,
      featureTolerances: options.featureTolerances,
      maxMismatchRate: options.maxMismatchRate,
      sampleSize: options.sampleSize,
      mismatchesPath: options.mismatchesPath,
      shardOf: sharded ? { inputRows: sharded.rows ?? 0 } : undefined,
      inspect: options.inspect?.({
        relation: source.name,
        timeColumn: options.timeColumn,
        keyColumns: options.keyColumns,
        window: module.window,
        eventIdColumn: options.eventIdColumn,
        lateEventsTable: stats.late_table,
        batchSqlPath: options.batchSqlPath,
        streamModulePath: options.streamModulePath,
        fence: fenceOf(streamSide(options)),
        allowExternalAccess: options.allowExternalAccess,
      }),
    });
    lap('diff');
    addReplayNotes(result, log, stats, options);
    result.replay = replaySection({ log, module, stats, batch, ...chosen }, options);
    if (sharded && options.shard) {
      const run = { events: sharded, tables: [BATCH_TABLE, STREAM_TABLE] as [string, string], result };
      result.shard = await describeReplayShard(session, { ...options, shard: options.shard }, run);
    }
    return result;
  }
}

function addReplayNotes(result: DiffResult, log: EventLogInfo, stats: HarnessStats, options: ReplayOptions) {
  if (log.rowsWithoutTime > 0) {
    result.notes.push(nullTimeNote(log.rowsWithoutTime, options.timeColumn));
  }
  if (stats.late_events > 0) {
    result.notes.push(lateEventsNote(stats.late_events, stats.late_windows.length));
  }
}

function replaySection(
  run: { log: EventLogInfo; module: LoadedModuleInfo; stats: HarnessStats; batch: BatchRun } & ChosenOrder,
  options: ReplayOptions,
): NonNullable<DiffResult['replay']> {
  const { log, module, stats, batch, order, delayedEvents } = run;
  return {
    events: stats.events,
    events_without_time: log.rowsWithoutTime,
    module_kind: module.kind,
    batch_rows: batch.rows,
    stream_rows: stats.rows_emitted,
    windows_opened: stats.windows_opened,
    max_open_windows: stats.max_open_windows,
    order:
      order.kind === 'event-time'
        ? { kind: 'event_time' }
        : {
            kind: 'arrival',
            ...(options.arrivalColumn ? { arrival_column: options.arrivalColumn } : {}),
            ...(options.simulateDelay
              ? {
                  simulated_delay: {
                    rate: options.simulateDelay.rate,
                    max_ms: options.simulateDelay.maxMs,
                    seed: options.simulateDelay.seed,
                    delayed_events: delayedEvents ?? 0,
                  },
                }
              : {}),
            max_out_of_orderness_ms: order.maxOutOfOrdernessMs,
            allowed_lateness_ms: options.allowedLatenessMs ?? 0,
          },
    late: {
      events: stats.late_events,
      windows: stats.late_windows.length,
      examples: stats.late_windows.slice(0, options.sampleSize ?? 20).map((w) => ({
        key: Object.fromEntries(Object.entries(w.key).map(([k, v]) => [k, jsonValue(v)])),
        window_start: new Date(w.window_start).toISOString(),
        events: w.events,
      })),
    },
  };
}
