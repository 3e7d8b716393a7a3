// The streaming harness: feeds the event log to the user's module one event at a time in
// replay order (feature-replay.ts, processor-replay.ts), loads the emitted rows into DuckDB, and
// reports a throw from the module with the event it was processing.
import { messageOf, UserCodeError } from '../errors.js';
import type { Session, Source } from '../io/index.js';
import { EmittedRows } from './emitted-rows.js';
import { replayFeature } from './feature-replay.js';
import { KeyCodec } from './key-codec.js';
import { LateEvents, writeLateEvents } from './late-events.js';
import { frameIn, type LoadedModule } from './module-loader.js';
import { replayProcessor } from './processor-replay.js';
import type { Cursor, HarnessOptions, HarnessStats, ReplayRun } from './replay-run.js';

export type { HarnessOptions, HarnessStats } from './replay-run.js';

export async function runHarness(
  session: Session,
  source: Source,
  module: LoadedModule,
  options: HarnessOptions,
): Promise<HarnessStats> {
  const rows = new EmittedRows(session, source, options.keyColumns, options.outputTable, module.path);
  const run: ReplayRun = {
    session,
    source,
    options,
    codec: new KeyCodec(options.keyColumns),
    cursor: { eventNumber: 0, phase: 'harness' },
    stats: {
      events: 0,
      rows_emitted: 0,
      windows_opened: 0,
      max_open_windows: 0,
      late_events: 0,
      late_windows: [],
    },
    late: new LateEvents(),
    sink: () => rows.sink,
  };
  const { cursor, stats, late } = run;
  try {
    if (module.kind === 'feature') await replayFeature(module.feature, run, rows.feature);
    else await replayProcessor(module.processor, run, rows.processor);
    Object.assign(cursor, {
      phase: 'harness',
      eventNumber: 0,
      event: undefined,
      time: undefined,
      key: undefined,
    });
    // Nothing emitted: still create the table (keys and window bounds) so the diff can run.
    const sink = rows.sink ?? rows.open({}, false);
    await sink.close();
    stats.rows_emitted = sink.rows;
  } catch (error) {
    // Errors raised while skewcheck itself was working (reading, loading) are not the user's.
    if (cursor.phase === 'harness' && !(error instanceof UserCodeError)) throw error;
    throw userCodeError(error, cursor, module.path);
  }
  stats.late_windows = late.windows();
  if (late.rows.length > 0) {
    stats.late_table = await writeLateEvents(session, source, options.keyColumns, late.rows);
  }
  return stats;
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
