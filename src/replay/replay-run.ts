// The state one harness run shares between its phases: what to replay, where it is (for error
// messages), what it has counted, and where emitted rows go.
import type { Session, Source } from '../io/index.js';
import type { KeyPart, StreamEvent } from './contract.js';
import { type EventBatch, readEvents } from './event-reader.js';
import type { KeyCodec } from './key-codec.js';
import type { LateEvents } from './late-events.js';
import type { RowSink } from './row-sink.js';

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
  /** Name of the DuckDB table the emitted rows are loaded into. */
  outputTable: string;
  onProgress?: (eventsDone: number) => void;
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

/** Where the harness is, so a throw from user code can be reported with its event. */
export interface Cursor {
  eventNumber: number;
  event?: StreamEvent;
  time?: number;
  key?: unknown;
  phase: string;
}

/** One harness run: inputs, position, counters and the row sink, handed to each phase. */
export interface ReplayRun {
  readonly session: Session;
  readonly source: Source;
  readonly options: HarnessOptions;
  readonly codec: KeyCodec;
  readonly cursor: Cursor;
  readonly stats: HarnessStats;
  readonly late: LateEvents;
  /** The sink, once the first emitted row has fixed the feature columns. */
  sink(): RowSink | undefined;
}

export function orderOf(run: ReplayRun): ReplayOrder {
  return run.options.order ?? { kind: 'event-time' };
}

/**
 * Reads the log in replay order and hands each batch to `replayBatch`; between batches the sink
 * settles its column types and progress is reported.
 */
export async function forEachBatch(run: ReplayRun, replayBatch: (batch: EventBatch) => void): Promise<void> {
  const order = orderOf(run);
  const readOptions = {
    timeColumn: run.options.timeColumn,
    orderExpression: order.kind === 'arrival' ? order.expression : undefined,
  };
  for await (const batch of readEvents(run.session, run.source, readOptions)) {
    replayBatch(batch);
    run.cursor.phase = 'harness';
    run.stats.events += batch.length;
    await run.sink()?.settle();
    run.options.onProgress?.(run.stats.events);
  }
}
