// Window definitions for streaming features. Windows are half-open [start, end); fixed windows
// are aligned to the UTC epoch (plus an optional offset), the convention of Flink, Kafka Streams
// and DuckDB's time_bucket.
import { type Duration, parseDuration } from './duration.js';

export interface TumblingWindow {
  readonly kind: 'tumbling';
  readonly sizeMs: number;
  readonly offsetMs: number;
}

export interface HoppingWindow {
  readonly kind: 'hopping';
  readonly sizeMs: number;
  readonly slideMs: number;
  readonly offsetMs: number;
}

export interface SessionWindow {
  readonly kind: 'session';
  /** A session ends `gap` after its last event; an event at or after that starts a new one. */
  readonly gapMs: number;
}

export type WindowSpec = TumblingWindow | HoppingWindow | SessionWindow;

export interface WindowOptions {
  /** Shift window boundaries from the UTC epoch, e.g. '2h'. */
  offset?: Duration;
}

function positive(value: Duration, what: string): number {
  const ms = parseDuration(value);
  if (ms <= 0) throw new Error(`${what} must be positive, got ${String(value)}`);
  return ms;
}

/** Fixed-size, non-overlapping windows: each event belongs to exactly one. */
export function tumbling(size: Duration, options: WindowOptions = {}): TumblingWindow {
  return {
    kind: 'tumbling',
    sizeMs: positive(size, 'window size'),
    offsetMs: parseDuration(options.offset ?? 0),
  };
}

/** Fixed-size windows starting every `slide`: an event belongs to size/slide windows. */
export function hopping(size: Duration, slide: Duration, options: WindowOptions = {}): HoppingWindow {
  const sizeMs = positive(size, 'window size');
  const slideMs = positive(slide, 'window slide');
  if (slideMs > sizeMs)
    throw new Error(`window slide (${String(slide)}) must not exceed its size (${String(size)})`);
  return { kind: 'hopping', sizeMs, slideMs, offsetMs: parseDuration(options.offset ?? 0) };
}

/**
 * Per-key activity sessions: a session covers [first event, last event + gap); windows differ
 * per key. Out-of-order events that bridge two sessions merge them (with the feature's `merge`).
 */
export function session(gap: Duration): SessionWindow {
  return { kind: 'session', gapMs: positive(gap, 'session gap') };
}

function floorTo(t: number, step: number, offset: number): number {
  return Math.floor((t - offset) / step) * step + offset;
}

/** Start times (epoch ms) of every fixed window containing time t, in increasing order. */
export function windowStartsFor(spec: TumblingWindow | HoppingWindow, t: number): number[] {
  if (spec.kind === 'tumbling') return [floorTo(t, spec.sizeMs, spec.offsetMs)];
  const last = floorTo(t, spec.slideMs, spec.offsetMs);
  const starts: number[] = [];
  for (let start = last - spec.sizeMs + spec.slideMs; start <= last; start += spec.slideMs) {
    if (t >= start && t < start + spec.sizeMs) starts.push(start);
  }
  return starts;
}

export function isWindowSpec(value: unknown): value is WindowSpec {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { kind?: unknown; sizeMs?: unknown; slideMs?: unknown };
  if (v.kind === 'tumbling') return typeof v.sizeMs === 'number' && v.sizeMs > 0;
  if (v.kind === 'hopping') return typeof v.sizeMs === 'number' && typeof v.slideMs === 'number';
  if (v.kind === 'session') return typeof (value as { gapMs?: unknown }).gapMs === 'number';
  return false;
}
