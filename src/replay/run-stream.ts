// The stream side of `replay`, in worker threads: split by key hash across all workers when the
// module is a keyed feature replayed in event-time order and the key columns are in the log
// (each worker replays its share of the keys), else on one worker.
import { availableParallelism } from 'node:os';
import type { Format, Session, Source } from '../io/index.js';
import { writeLateEvents } from './late-events-table.js';
import type { HarnessStats, ReplayOrder } from './replay-run.js';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_MEMORY_LIMIT_MB, type Fence } from './replay-workers.js';
import { ReplayWorkers, type WorkerReplay } from './worker-pool.js';

export interface StreamSideOptions {
  eventsPath: string;
  format?: Format;
  streamModulePath: string;
  keyColumns: string[];
  timeColumn: string;
  allowedLatenessMs?: number;
  /** Arrival-order replays run on one worker: the watermark is global. */
  arrivalOrder: boolean;
  /** Longest one call into the streaming module may run, ms (default 60 s). */
  callTimeoutMs?: number;
  /** Heap ceiling of each replay worker, MiB (default 4096). */
  memoryLimitMb?: number;
  /** Worker threads for a keyed feature in event-time order (default: the machine's cores). */
  workers?: number;
}

export function fenceOf(options: StreamSideOptions): Fence {
  return {
    callTimeoutMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    memoryLimitMb: options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB,
  };
}

/**
 * Below this many events a keyed feature replays on one worker unless --workers says otherwise:
 * starting and feeding workers costs more than small logs gain (bench/README.md).
 */
export const PARALLEL_MIN_EVENTS = 5_000_000;

/**
 * Workers when --workers is not given: one below PARALLEL_MIN_EVENTS, else one per core but one
 * (at most 8). The batch SQL runs on DuckDB's threads at the same time, and the main thread feeds
 * every worker: on the 2-core bench machine a second worker made a 10M-event replay slower and
 * cost 17% more CPU (bench/README.md).
 */
export function defaultWorkers(events: number, cores = availableParallelism()): number {
  return events < PARALLEL_MIN_EVENTS ? 1 : Math.max(1, Math.min(cores - 1, 8));
}

/**
 * Starts the workers and loads the module in each: a broken module fails before any data is read.
 * Without --workers one starts now; more join once the log's size is known (replayOnWorkers).
 */
export function startStreamWorkers(options: StreamSideOptions): Promise<ReplayWorkers> {
  const count = options.arrivalOrder ? 1 : Math.max(1, options.workers ?? 1);
  return ReplayWorkers.start(options.streamModulePath, count, fenceOf(options));
}

/** Replays the log on the workers into `outputTable`; the dropped late events go to their table. */
export async function replayOnWorkers(
  session: Session,
  opened: { source: Source; order: ReplayOrder; workers: ReplayWorkers; outputTable: string; events: number },
  options: StreamSideOptions,
  onProgress: (eventsDone: number) => void,
): Promise<HarnessStats> {
  const { source, order, workers } = opened;
  const partitionable =
    workers.module.kind === 'feature' &&
    order.kind === 'event-time' &&
    options.keyColumns.every((k) => source.columns.some((c) => c.name === k));
  if (partitionable && options.workers === undefined) await workers.grow(defaultWorkers(opened.events));
  const partitioned = partitionable && workers.size > 1;
  if (process.env.SKEWCHECK_DEBUG) {
    process.stderr.write(`[skewcheck] stream replay on ${partitioned ? workers.size : 1} worker(s)\n`);
  }
  const run: Omit<WorkerReplay, 'partitioned'> = {
    session,
    source,
    outputTable: opened.outputTable,
    onProgress,
    start: {
      keyColumns: options.keyColumns,
      timeColumn: options.timeColumn,
      order,
      allowedLatenessMs: options.allowedLatenessMs,
    },
  };
  let replayed = await workers.replay({ ...run, partitioned });
  if (!replayed) {
    // The key function does not return the key columns: one worker replays every key.
    const single = await ReplayWorkers.start(options.streamModulePath, 1, fenceOf(options));
    try {
      replayed = await single.replay({ ...run, partitioned: false });
    } finally {
      single.stop();
    }
    if (!replayed) throw new Error('a replay on one worker was refused as not partitionable');
  }
  const { stats, lateRows } = replayed;
  if (lateRows.length > 0) {
    stats.late_table = await writeLateEvents(session, source, options.keyColumns, lateRows);
  }
  return stats;
}
