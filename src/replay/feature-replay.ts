// Replays a windowed feature: assigns each event to its windows (through the window kind's
// assigner), keeps one accumulator per open (key, window), fires windows as the watermark passes
// their end (plus allowed lateness) and forgets them, so memory follows open windows.
import type { FeatureRow, StreamEvent, StreamingFeature } from './contract.js';
import type { EventBatch } from './event-reader.js';
import { KeyCodec } from './key-codec.js';
import { forEachBatch, orderOf, type ReplayRun } from './replay-run.js';
import type { WindowAssigner, WindowPlacement } from './window-kinds/assigner.js';
import { assignerFor, type WindowSpec } from './window-kinds/registry.js';
import { type KeyEntry, Window } from './window-state.js';

export type EmitFeatureRow = (window: Window, features: FeatureRow) => void;

/** A partitioned run met an event whose key is not its key columns: the keys cannot be split by column hash. */
export class NotPartitionable extends Error {
  override name = 'NotPartitionable';
}

function sameKeyPart(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return (a === null || a === undefined) && (b === null || b === undefined);
}

class FeatureReplay implements WindowPlacement {
  watermark = Number.NEGATIVE_INFINITY;
  readonly arrival: boolean;
  readonly lateness: number;
  private readonly outOfOrderness: number;
  private readonly entries = new Map<string, KeyEntry>();
  // Windows waiting to be emitted, bucketed by the watermark that completes them (end +
  // allowed lateness); `dues` is kept sorted ascending from `head`.
  private readonly byDue = new Map<number, Window[]>();
  private dues: number[] = [];
  private head = 0;
  private openWindows = 0;
  private maxEventTime = Number.NEGATIVE_INFINITY;
  private readonly assigner: WindowAssigner<WindowSpec>;

  constructor(
    private readonly feature: StreamingFeature,
    private readonly run: ReplayRun,
    private readonly emitRow: EmitFeatureRow,
  ) {
    const order = orderOf(run);
    this.arrival = order.kind === 'arrival';
    this.outOfOrderness = order.kind === 'arrival' ? order.maxOutOfOrdernessMs : 0;
    this.lateness = run.options.allowedLatenessMs ?? 0;
    this.assigner = assignerFor(feature.window);
  }

  open(entry: KeyEntry, start: number, end: number): Window {
    const window = new Window(entry, start, end);
    this.run.cursor.phase = 'init';
    window.accumulator = this.feature.init(window);
    this.run.windowTimes?.opens.push(this.run.cursor.time!);
    if (entry.sessions) entry.sessions.push(window);
    else entry.windows.set(start, window);
    this.reschedule(window);
    const stats = this.run.stats;
    stats.windows_opened++;
    this.openWindows++;
    if (this.openWindows > stats.max_open_windows) stats.max_open_windows = this.openWindows;
    return window;
  }

  add(window: Window, event: StreamEvent): void {
    this.run.cursor.phase = 'add';
    const next = this.feature.add(window.accumulator, event);
    if (next !== undefined) window.accumulator = next;
  }

  late(event: StreamEvent, entry: KeyEntry, start: number): void {
    this.run.late.record(event, entry, start);
    this.run.stats.late_events++;
  }

  merge(target: Window, other: Window): void {
    const merge = this.feature.merge;
    if (!merge) {
      throw new Error(
        'an out-of-order event bridges two sessions of one key: session windows replayed in arrival order need merge(a, b)',
      );
    }
    this.run.cursor.phase = 'merge';
    target.accumulator = merge(target.accumulator, other.accumulator);
    target.end = Math.max(target.end, other.end);
    this.forget(other);
  }

  reschedule(window: Window): void {
    const due = window.end + this.lateness;
    let bucket = this.byDue.get(due);
    if (!bucket) {
      bucket = [];
      this.byDue.set(due, bucket);
      // Due times almost always arrive in increasing order; insert in place otherwise.
      const dues = this.dues;
      let i = dues.length;
      while (i > this.head && dues[i - 1]! > due) i--;
      dues.splice(i, 0, due);
    }
    bucket.push(window);
  }

  private forget(window: Window): void {
    window.open = false;
    const entry = window.entry;
    if (entry.sessions) entry.sessions.splice(entry.sessions.indexOf(window), 1);
    else entry.windows.delete(window.start);
    // Forget keys with no open window: memory follows open windows, not every key ever seen.
    if (entry.windows.size === 0 && !entry.sessions?.length) this.entries.delete(entry.id);
    this.openWindows--;
  }

  private fire(due: number): void {
    const bucket = this.byDue.get(due)!;
    this.byDue.delete(due);
    const cursor = this.run.cursor;
    for (const window of bucket) {
      if (!window.open) continue;
      // A session that grew since it was scheduled is due later.
      if (window.end + this.lateness > due) {
        this.reschedule(window);
        continue;
      }
      cursor.phase = 'emit';
      cursor.key = window.entry.record;
      this.emitRow(window, this.feature.emit(window.accumulator, window));
      this.run.windowTimes?.dues.push(due);
      this.forget(window);
    }
  }

  /** Emit every window complete at this watermark. */
  advance(watermark: number): void {
    this.watermark = watermark;
    while (this.head < this.dues.length && this.dues[this.head]! <= watermark) {
      // fire() may schedule a grown session again, possibly at the current position.
      this.fire(this.dues[this.head++]!);
    }
    if (this.head > 1024 && this.head * 2 > this.dues.length) {
      this.dues.splice(0, this.head);
      this.head = 0;
    }
  }

  /** The key's entry, created on its first event (or first since its windows all closed). */
  private entryFor(rawKey: unknown): KeyEntry {
    const entries = this.entries;
    const id = typeof rawKey === 'string' && rawKey.charCodeAt(0) !== 1 ? rawKey : undefined;
    let entry = id === undefined ? undefined : entries.get(id);
    if (entry) return entry;
    const codec = this.run.codec;
    const parts = codec.parts(rawKey as never);
    const keyId = KeyCodec.id(parts);
    entry = entries.get(keyId);
    if (!entry) {
      entry = { id: keyId, parts, record: codec.record(parts), windows: new Map() };
      if (this.assigner.sessions) entry.sessions = [];
      entries.set(keyId, entry);
    }
    return entry;
  }

  /** Partitioned runs: the key must be the event's key columns, or partitions by their hash would split it. */
  private checkPartitionKey(rawKey: unknown, entry: KeyEntry, event: StreamEvent): void {
    const columns = this.run.options.keyColumns;
    for (let i = 0; i < columns.length; i++) {
      if (!sameKeyPart(entry.parts[i], event[columns[i]!])) {
        throw new NotPartitionable(
          `the key function returned ${String(rawKey)} for an event whose ${columns[i]} is ${String(event[columns[i]!])}`,
        );
      }
    }
  }

  replayBatch(batch: EventBatch): void {
    const { events, times, length } = batch;
    const cursor = this.run.cursor;
    const { key } = this.feature;
    const spec = this.feature.window;
    const place = this.assigner.place;
    const partitioned = this.run.options.partition !== undefined;
    for (let r = 0; r < length; r++) {
      const event = events[r]!;
      const t = times[r]!;
      cursor.eventNumber++;
      cursor.event = event;
      cursor.time = t;
      cursor.key = undefined;
      // The watermark: in event-time order the current event's time; in arrival order the
      // largest event time seen minus the allowed out-of-orderness.
      if (t > this.maxEventTime) this.maxEventTime = t;
      this.advance(this.arrival ? this.maxEventTime - this.outOfOrderness : t);
      cursor.phase = 'key';
      const rawKey = key(event);
      cursor.key = rawKey;
      const entry = this.entryFor(rawKey);
      cursor.key = entry.record;
      if (partitioned) this.checkPartitionKey(rawKey, entry, event);
      place(spec, this, entry, event, t);
      if (entry.windows.size === 0 && !entry.sessions?.length) this.entries.delete(entry.id);
    }
  }
}

export async function replayFeature(
  feature: StreamingFeature,
  run: ReplayRun,
  emitRow: EmitFeatureRow,
): Promise<void> {
  const replay = new FeatureReplay(feature, run, emitRow);
  await forEachBatch(run, (batch) => replay.replayBatch(batch));
  run.cursor.event = undefined;
  run.cursor.time = undefined;
  replay.advance(Number.POSITIVE_INFINITY);
  run.cursor.phase = 'harness';
}
