// The public contract of a user's streaming module: the two shapes its default export may
// take. Both `define…` helpers return their argument unchanged; they exist for type inference.
import type { WindowSpec } from './windows.js';

/**
 * One event of the log: a plain object with one property per column. JS types follow
 * DuckDB's: BOOLEAN → boolean; TINYINT…INTEGER, FLOAT, DOUBLE, DECIMAL → number;
 * BIGINT, HUGEINT → bigint; VARCHAR → string; TIMESTAMP, TIMESTAMPTZ, DATE → Date;
 * NULL → null.
 */
// biome-ignore lint/suspicious/noExplicitAny: events are user data of any column type.
export type StreamEvent = Record<string, any>;

/** A key value as a feature's key function may return it. */
export type KeyPart = string | number | bigint | boolean | Date | null;

/**
 * The entity key of an event: a single value (for one `--key` column), an array (one value per
 * `--key` column, in order) or an object keyed by column name.
 */
export type EntityKey = KeyPart | readonly KeyPart[] | Readonly<Record<string, KeyPart>>;

/** A feature value: numbers, bigints, strings, booleans, Dates or null. */
export type FeatureValue = number | bigint | string | boolean | Date | null;

export type FeatureRow = Record<string, FeatureValue>;

export interface WindowContext {
  /** The key columns and their values for this window. */
  readonly key: Readonly<Record<string, KeyPart>>;
  readonly windowStart: Date;
  readonly windowEnd: Date;
}

/**
 * A windowed aggregate: the harness assigns each event to its windows, keeps one accumulator
 * per (key, window), and calls `emit` once when the window closes.
 */
export interface StreamingFeature<E extends StreamEvent = StreamEvent, A = unknown> {
  key: (event: E) => EntityKey;
  window: WindowSpec;
  init: (context: WindowContext) => A;
  /** Fold one event into the accumulator; may mutate it, or return a new one. */
  // biome-ignore lint/suspicious/noConfusingVoidType: lets `(acc, e) => { acc.n++; }` type-check.
  add: (accumulator: A, event: E) => A | undefined | void;
  emit: (accumulator: A, context: WindowContext) => FeatureRow;
  /**
   * Combine two accumulators. Needed only for session windows replayed in arrival order, when
   * a late event bridges two sessions of a key.
   */
  merge?: (a: A, b: A) => A;
}

export interface ProcessorContext {
  /**
   * Emit an output row: the key column(s), `window_start`, `window_end` (Date or epoch ms)
   * and one property per feature.
   */
  emit(row: Record<string, FeatureValue>): void;
  /** Per-key state, created empty on first use; `clearState(key)` releases it. */
  state<S extends object = Record<string, unknown>>(key: EntityKey): S;
  clearState(key: EntityKey): void;
  /** Event time of the event being processed (epoch ms), or of the last event in onEnd. */
  readonly currentTime: number;
  /**
   * Event time up to which the stream is complete (epoch ms): the current event's time in
   * event-time replay; the largest event time seen minus --max-out-of-orderness in arrival order.
   */
  readonly watermark: number;
}

/** A hand-written stream consumer: sees every event in replay order and emits rows itself. */
export interface StreamProcessor<E extends StreamEvent = StreamEvent> {
  onEvent: (event: E, context: ProcessorContext) => void;
  onEnd?: (context: ProcessorContext) => void;
}

export function defineStreamingFeature<E extends StreamEvent = StreamEvent, A = unknown>(
  feature: StreamingFeature<E, A>,
): StreamingFeature<E, A> {
  return feature;
}

export function defineStreamProcessor<E extends StreamEvent = StreamEvent>(
  processor: StreamProcessor<E>,
): StreamProcessor<E> {
  return processor;
}
