// Replays batches of events through the user's module (feature-replay.ts, processor-replay.ts)
// into a chunk target, and reports a throw from the module with the event it was processing.
// No DuckDB here: this runs in the replay workers as well as in process.
import { messageOf, UserCodeError } from '../errors.js';
import { Cursor } from './cursor.js';
import { EmittedRows } from './emitted-rows.js';
import type { EventBatch } from './event-reader.js';
import { NotPartitionable, replayFeature } from './feature-replay.js';
import { KeyCodec } from './key-codec.js';
import { LateEvents } from './late-events.js';
import { frameIn, type LoadedModule } from './module-loader.js';
import { replayProcessor } from './processor-replay.js';
import { type HarnessOptions, type HarnessStats, type ReplayRun, TimeList } from './replay-run.js';
import type { ChunkTarget, ValueFamily } from './row-sink.js';

export interface ModuleReplay {
  stats: HarnessStats;
  /** The events dropped as late, for the late-events table. */
  lateRows: LateEvents['rows'];
  /** Partitioned runs: window open and due times (see worker-rows.ts, maxOpenWindows). */
  windowTimes?: { opens: Float64Array; dues: Float64Array };
}

export interface ModuleReplayInputs {
  batches: AsyncIterable<EventBatch>;
  /** Where emitted rows go. */
  target: ChunkTarget;
  /** The family of each key column when the log fixes it. */
  keyFamilies: readonly (ValueFamily | undefined)[];
}

export async function replayModule(
  module: LoadedModule,
  inputs: ModuleReplayInputs,
  options: HarnessOptions,
): Promise<ModuleReplay> {
  const keys = options.keyColumns.map((name, i) => ({ name, family: inputs.keyFamilies[i] }));
  const rows = new EmittedRows(keys, module.path, inputs.target);
  const run: ReplayRun = {
    batches: inputs.batches,
    options,
    codec: new KeyCodec(options.keyColumns),
    cursor: options.cursor ?? new Cursor(),
    stats: {
      events: 0,
      rows_emitted: 0,
      windows_opened: 0,
      max_open_windows: 0,
      late_events: 0,
      late_windows: [],
    },
    late: new LateEvents(),
    windowTimes: options.partition ? { opens: new TimeList(), dues: new TimeList() } : undefined,
    sink: () => rows.sink,
  };
  const { cursor, stats, late } = run;
  try {
    if (module.kind === 'feature') await replayFeature(module.feature, run, rows.feature);
    else await replayProcessor(module.processor, run, rows.processor);
    cursor.clear();
    // Nothing emitted: still create the table (keys and window bounds) so the diff can run.
    const sink = rows.sink ?? rows.open({}, false);
    await sink.close();
    stats.rows_emitted = sink.rows;
  } catch (error) {
    // Errors raised while skewcheck itself was working (reading, loading) are not the user's.
    if (error instanceof NotPartitionable) throw error;
    if (cursor.phase === 'harness' && !(error instanceof UserCodeError)) throw error;
    throw userCodeError(error, cursor, module.path);
  }
  stats.late_windows = late.windows();
  const times = run.windowTimes;
  return {
    stats,
    lateRows: late.rows,
    windowTimes: times && { opens: times.opens.toArray(), dues: times.dues.toArray() },
  };
}

/** A throw from the module (or a bad value it returned), with the event being processed. */
function userCodeError(error: unknown, cursor: Cursor, modulePath: string): UserCodeError {
  const time = cursor.time === undefined ? undefined : new Date(cursor.time);
  if (error instanceof UserCodeError) {
    return new UserCodeError(error.message, {
      ...error.where,
      eventNumber: error.where.eventNumber ?? (cursor.eventNumber || undefined),
      key: error.where.key ?? cursor.key,
      time,
      event: cursor.event,
    });
  }
  const inEnd = cursor.phase === 'onEnd';
  return new UserCodeError(
    `threw in ${cursor.phase}(): ${messageOf(error)}`,
    {
      module: modulePath,
      eventNumber: inEnd ? undefined : cursor.eventNumber || undefined,
      key: cursor.key,
      time,
      event: inEnd ? undefined : cursor.event,
      frame: frameIn(error, modulePath),
    },
    { cause: error },
  );
}
