// The state one harness run shares between its phases: what to replay, where it is (for error
// messages), what it has counted, and where emitted rows go.
import type { KeyPart } from './contract.js';
import type { Cursor } from './cursor.js';
import type { EventBatch } from './event-reader.js';
import type { KeyCodec } from './key-codec.js';
import type { LateEvents } from './late-events.js';
import type { RowSink } from './row-sink.js';
import type { Partition } from './worker-protocol.js';

export type ReplayOrder =
  | { kind: 'event-time' }
  /** Arrival order: `expression` is SQL over the log aliased `src` (an ingestion-time column). */
  | { kind: 'arrival'; expression: string; maxOutOfOrdernessMs: number };

export interface HarnessOptions {
  keyColumns: string[];
  timeColumn: string;
  /** Default: event-time order. */
  order?: ReplayOrder;
  /** How long after the watermark passes its end a window still takes late events (default 0). */
  allowedLatenessMs?: number;
  onProgress?: (eventsDone: number) => void;
  /**
   * The events are one key-hash share of the log. The key function must return the event's key
   * columns (checked on every event), or a key would be split across shares.
   */
  partition?: Partition;
  /** The cursor to report positions through (a worker's publishes them to shared memory). */
  cursor?: Cursor;
}

export interface HarnessStats {
  events: number;
  rows_emitted: number;
  windows_opened: number;
  /** Most (key, window) accumulators alive at once: bounded by open windows, not by history. */
  max_open_windows: number;
  /** Events dropped because every window they belong to had closed (arrival order only). */
  late_events: number;
  /** (key, window) pairs that dropped events would have changed, with the count for each. */
  late_windows: { key: Record<string, KeyPart>; window_start: number; events: number }[];
  /** Name of the table holding the dropped events (columns of the log, key, __window_start), if any. */
  late_table?: string;
}

/** One harness run: inputs, position, counters and the row sink, handed to each phase. */
export interface ReplayRun {
  /** The log's events in replay order, one batch at a time. */
  readonly batches: AsyncIterable<EventBatch>;
  readonly options: HarnessOptions;
  readonly codec: KeyCodec;
  readonly cursor: Cursor;
  readonly stats: HarnessStats;
  readonly late: LateEvents;
  /** Partitioned runs: each window's open time and each fired window's due time, for max_open_windows. */
  readonly windowTimes?: { opens: TimeList; dues: TimeList };
  /** The sink, once the first emitted row has fixed the feature columns. */
  sink(): RowSink | undefined;
}

export function orderOf(run: ReplayRun): ReplayOrder {
  return run.options.order ?? { kind: 'event-time' };
}

/**
 * Hands each batch of events to `replayBatch`; between batches the sink settles its column
 * types and progress is reported.
 */
export async function forEachBatch(run: ReplayRun, replayBatch: (batch: EventBatch) => void): Promise<void> {
  for await (const batch of run.batches) {
    replayBatch(batch);
    run.cursor.phase = 'harness';
    run.stats.events += batch.length;
    await run.sink()?.settle();
    run.options.onProgress?.(run.stats.events);
  }
}

/** A growable list of times (epoch ms). */
export class TimeList {
  private values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  toArray(): Float64Array {
    return this.values.slice(0, this.length);
  }
}
