// The messages between the main thread and a replay worker (replay-worker.ts). Everything here
// crosses threads by structured clone; typed arrays are transferred, not copied.
import type { KeyPart, StreamEvent } from './contract.js';
import type { EventShape, WireColumn } from './event-shape.js';
import type { ReplayOrder } from './replay-run.js';
import type { RowChunk, ValueFamily } from './row-sink.js';
import type { WindowSpec } from './windows.js';

export interface WorkerData {
  modulePath: string;
  /** SHARED_CURSOR_BYTES of shared memory the worker's cursor publishes to. */
  cursor: SharedArrayBuffer;
  /**
   * A worker for many short replays (the first-divergence bisection): after each, it waits for
   * `reload` and loads the module afresh, transpiles cached in this folder.
   */
  transpileCache?: string;
  /** Otherwise, a folder where the transpiled module is kept for later workers (the bisection's). */
  transpiles?: string;
}

/** Which share of the keys a worker replays: hash(key columns) % count = index. */
export interface Partition {
  index: number;
  count: number;
}

export interface StartMessage {
  type: 'start';
  /** How to build events from the columns of each batch. */
  shape: EventShape;
  /** The family of each key column when the log fixes it. */
  keyFamilies: (ValueFamily | undefined)[];
  keyColumns: string[];
  timeColumn: string;
  order: ReplayOrder;
  allowedLatenessMs?: number;
  partition?: Partition;
}

export interface FamiliesReply {
  type: 'families';
  families: ValueFamily[];
}

/** One chunk of the log (or of the worker's share) in replay order: decoded columns, times in epoch ms. */
export interface BatchPart {
  n: number;
  times: Float64Array;
  columns: WireColumn[];
}

/** A few chunks at once: each message costs a round trip (and an acknowledgement), whatever its size. */
export interface BatchMessage {
  type: 'batch';
  parts: BatchPart[];
}

export type ToWorker = StartMessage | FamiliesReply | BatchMessage | { type: 'end' } | { type: 'reload' };

/** A thrown error, rebuilt on the main thread as the same typed error. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  file?: string;
  column?: string;
  line?: number;
  where?: {
    module: string;
    eventNumber?: number;
    key?: unknown;
    time?: unknown;
    event?: Record<string, unknown>;
    frame?: string;
  };
}

export interface WorkerStats {
  events: number;
  rows_emitted: number;
  windows_opened: number;
  max_open_windows: number;
  late_events: number;
  late_windows: { key: Record<string, KeyPart>; window_start: number; events: number }[];
}

export type FromWorker =
  | { type: 'loaded'; kind: 'feature' | 'processor'; window?: WindowSpec }
  | {
      type: 'families';
      names: string[];
      families: (ValueFamily | undefined)[];
      /** Rows emitted so far: 0 when the run ended without emitting any. */
      rows: number;
    }
  /** Emitted rows, a few chunks at once. */
  | { type: 'rows'; chunks: RowChunk[] }
  | { type: 'progress'; events: number }
  /** A batch was taken: the main thread may send another. */
  | { type: 'ack' }
  | {
      type: 'done';
      stats: WorkerStats;
      lateRows: { event: StreamEvent; parts: KeyPart[]; windowStart: number }[];
      /** Partitioned feature runs: each window's open time, and each fired window's due time. */
      windowTimes?: { opens: Float64Array; dues: Float64Array };
    }
  | { type: 'failed'; error: SerializedError }
  /** The key function returned a key other than the event's key columns: partitions would split it. */
  | { type: 'not-partitionable'; reason: string };
