// The streaming harness: feeds the event log to the user's module one event at a time in
// replay order, assigns windows, keeps one accumulator per open (key, window), fires windows
// as event time passes their end and forgets them, and loads the emitted rows into DuckDB.

import { BIGINT, BOOLEAN, DOUBLE, TIMESTAMP, VARCHAR } from '@duckdb/node-api';
import { messageOf, UserCodeError } from '../errors.js';
import type { Session, Source } from '../io/index.js';
import { TableWriter } from '../io/index.js';
import type {
  EntityKey,
  FeatureRow,
  KeyPart,
  ProcessorContext,
  StreamEvent,
  StreamingFeature,
  StreamProcessor,
  WindowContext,
} from './contract.js';
import { readEvents } from './event-reader.js';
import { frameIn, type LoadedModule } from './module-loader.js';
import { epochMs, familyOfSqlType, RowSink } from './row-sink.js';
import { windowStartsFor } from './windows.js';

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

/** Turns whatever the key function returned into column values and a stable map key. */
class KeyCodec {
  constructor(private readonly columns: string[]) {}

  parts(key: EntityKey): KeyPart[] {
    const n = this.columns.length;
    if (Array.isArray(key)) {
      if (key.length !== n) {
        throw new Error(
          `key returned ${key.length} values but --key names ${n} column(s) (${this.columns.join(', ')})`,
        );
      }
      return key as KeyPart[];
    }
    if (key !== null && typeof key === 'object' && !(key instanceof Date)) {
      const record = key as Record<string, KeyPart>;
      const missing = this.columns.filter((c) => !(c in record));
      if (missing.length > 0) throw new Error(`key returned an object without ${missing.join(', ')}`);
      return this.columns.map((c) => record[c] ?? null);
    }
    if (n !== 1) {
      throw new Error(`key returned one value but --key names ${n} columns; return an array or an object`);
    }
    return [key as KeyPart];
  }

  /** A string that identifies the key: the value itself for the common single-string key. */
  static id(parts: readonly KeyPart[]): string {
    if (parts.length === 1) {
      const only = parts[0];
      if (typeof only === 'string') return only.charCodeAt(0) === 1 ? `\u0001s${only}` : only;
    }
    return `\u0001${parts.map(tagged).join('\u0000')}`;
  }

  record(parts: readonly KeyPart[]): Record<string, KeyPart> {
    const out: Record<string, KeyPart> = {};
    for (let i = 0; i < this.columns.length; i++) out[this.columns[i]!] = parts[i] ?? null;
    return out;
  }
}

function tagged(part: KeyPart): string {
  if (part === null || part === undefined) return 'z';
  if (part instanceof Date) return `d${part.getTime()}`;
  return `${(typeof part)[0]}${String(part)}`;
}

/** The context handed to init/emit; Dates are only built when the module asks for them. */
class Window implements WindowContext {
  accumulator: unknown;
  /** False once fired, or merged into another session. */
  open = true;
  constructor(
    readonly entry: KeyEntry,
    public start: number,
    public end: number,
  ) {}
  get key(): Record<string, KeyPart> {
    return this.entry.record;
  }
  get windowStart(): Date {
    return new Date(this.start);
  }
  get windowEnd(): Date {
    return new Date(this.end);
  }
}

interface KeyEntry {
  id: string;
  parts: KeyPart[];
  record: Record<string, KeyPart>;
  /** Open fixed windows of this key by start time (usually one, for tumbling windows). */
  windows: Map<number, Window>;
  /** Open sessions of this key, in start order (session windows only). */
  sessions?: Window[];
}

/** Where the harness is, so a throw from user code can be reported with its event. */
interface Cursor {
  eventNumber: number;
  event?: StreamEvent;
  time?: number;
  key?: unknown;
  phase: string;
}

const RESERVED = new Set(['window_start', 'window_end']);

export async function runHarness(
  session: Session,
  source: Source,
  module: LoadedModule,
  options: HarnessOptions,
): Promise<HarnessStats> {
  const cursor: Cursor = { eventNumber: 0, phase: 'harness' };
  const stats: HarnessStats = {
    events: 0,
    rows_emitted: 0,
    windows_opened: 0,
    max_open_windows: 0,
    late_events: 0,
    late_windows: [],
  };
  const keyTypes = new Map(source.columns.map((c) => [c.name, c.type]));
  const codec = new KeyCodec(options.keyColumns);
  let sink: RowSink | undefined;
  let expectedProperties = 0;
  const late = new LateEvents();

  // The first emitted row fixes the feature columns.
  const openSink = (row: Record<string, unknown>, includesKeysAndWindow: boolean): RowSink => {
    const features = Object.keys(row).filter(
      (name) => !RESERVED.has(name) && !(includesKeysAndWindow && options.keyColumns.includes(name)),
    );
    const clash = features.find((f) => options.keyColumns.includes(f) || RESERVED.has(f));
    if (clash) throw new Error(`emit returned a feature named "${clash}", which is a key or window column`);
    expectedProperties = Object.keys(row).length;
    const keyColumns = options.keyColumns.map((name) => ({
      name,
      family: familyOfSqlType(keyTypes.get(name)),
    }));
    return new RowSink(session, options.outputTable, keyColumns, features, module.path);
  };

  /** Feature values of an emitted row, in column order; a row with other properties is an error. */
  const featureValues = (target: RowSink, row: Record<string, unknown>): unknown[] => {
    const names = target.featureNames;
    const values = new Array<unknown>(names.length);
    for (let i = 0; i < names.length; i++) values[i] = row[names[i]!];
    let count = 0;
    for (const _ in row) count++;
    if (count !== expectedProperties) {
      const extra = Object.keys(row).filter(
        (n) => !names.includes(n) && !RESERVED.has(n) && !options.keyColumns.includes(n),
      );
      if (extra.length > 0) {
        throw new Error(
          `emitted a feature "${extra[0]}" that the first emitted row did not have (first row: ${names.join(', ')})`,
        );
      }
    }
    return values;
  };

  const emitFeatureRow = (window: Window, features: FeatureRow) => {
    if (features === null || typeof features !== 'object' || Array.isArray(features)) {
      throw new Error(
        `emit must return an object of feature values, got ${features === null ? 'null' : typeof features}`,
      );
    }
    if (!sink) sink = openSink(features, false);
    sink.add(window.entry.parts, window.start, window.end, featureValues(sink, features));
  };

  const emitProcessorRow = (row: Record<string, unknown>) => {
    if (row === null || typeof row !== 'object') throw new Error('ctx.emit needs an object');
    const missing = [...options.keyColumns, 'window_start', 'window_end'].filter((c) => !(c in row));
    if (missing.length > 0) {
      throw new Error(
        `ctx.emit was given a row without ${missing.join(', ')} (it has ${Object.keys(row).join(', ')})`,
      );
    }
    const start = epochMs(row.window_start);
    const end = epochMs(row.window_end);
    if (Number.isNaN(start) || Number.isNaN(end)) {
      throw new Error('ctx.emit needs window_start and window_end as Date objects or epoch milliseconds');
    }
    if (!sink) sink = openSink(row, true);
    const parts = options.keyColumns.map((c) => row[c] as KeyPart);
    sink.add(parts, start, end, featureValues(sink, row));
  };

  try {
    if (module.kind === 'feature') {
      await replayFeature(
        module.feature,
        session,
        source,
        options,
        codec,
        cursor,
        stats,
        emitFeatureRow,
        () => sink,
        late,
      );
    } else {
      await replayProcessor(
        module.processor,
        session,
        source,
        options,
        codec,
        cursor,
        stats,
        emitProcessorRow,
        () => sink,
      );
    }
    Object.assign(cursor, {
      phase: 'harness',
      eventNumber: 0,
      event: undefined,
      time: undefined,
      key: undefined,
    });
    // Nothing emitted: still create the table (keys and window bounds) so the diff can run.
    sink ??= openSink({}, false);
    await sink.close();
  } catch (error) {
    // Errors raised while skewcheck itself was working (reading, loading) are not the user's.
    if (cursor.phase === 'harness' && !(error instanceof UserCodeError)) throw error;
    if (error instanceof UserCodeError) {
      throw new UserCodeError(error.message, {
        ...error.where,
        eventNumber: error.where.eventNumber ?? (cursor.eventNumber || undefined),
        key: error.where.key ?? cursor.key,
        time: cursor.time === undefined ? undefined : new Date(cursor.time),
        event: cursor.event,
      });
    }
    const inEnd = cursor.phase === 'onEnd';
    throw new UserCodeError(
      `threw in ${cursor.phase}(): ${messageOf(error)}`,
      {
        module: module.path,
        eventNumber: inEnd ? undefined : cursor.eventNumber || undefined,
        key: cursor.key,
        time: cursor.time === undefined ? undefined : new Date(cursor.time),
        event: inEnd ? undefined : cursor.event,
        frame: frameIn(error, module.path),
      },
      { cause: error },
    );
  }
  stats.rows_emitted = sink.rows;
  stats.late_windows = late.windows();
  if (late.rows.length > 0) stats.late_table = await writeLateEvents(session, source, options, late);
  return stats;
}

/** Events dropped as late, kept to be written to a table for the diagnosis and the report. */
class LateEvents {
  readonly rows: { event: StreamEvent; parts: KeyPart[]; windowStart: number }[] = [];
  private readonly perWindow = new Map<
    string,
    { key: Record<string, KeyPart>; window_start: number; events: number }
  >();

  record(
    event: StreamEvent,
    entry: { id: string; parts: KeyPart[]; record: Record<string, KeyPart> },
    start: number,
  ) {
    this.rows.push({ event, parts: entry.parts, windowStart: start });
    const id = `${entry.id}\u0000${start}`;
    const found = this.perWindow.get(id);
    if (found) found.events++;
    else this.perWindow.set(id, { key: entry.record, window_start: start, events: 1 });
  }

  windows() {
    return [...this.perWindow.values()].sort(
      (a, b) => b.events - a.events || a.window_start - b.window_start || compareKeys(a.key, b.key),
    );
  }
}

function compareKeys(a: Record<string, KeyPart>, b: Record<string, KeyPart>): number {
  const x = JSON.stringify(Object.values(a), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  const y = JSON.stringify(Object.values(b), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return x < y ? -1 : x > y ? 1 : 0;
}

async function replayFeature(
  feature: StreamingFeature,
  session: Session,
  source: Source,
  options: HarnessOptions,
  codec: KeyCodec,
  cursor: Cursor,
  stats: HarnessStats,
  emitRow: (window: Window, features: FeatureRow) => void,
  currentSink: () => RowSink | undefined,
  late: LateEvents,
): Promise<void> {
  const spec = feature.window;
  const order = options.order ?? { kind: 'event-time' };
  const arrival = order.kind === 'arrival';
  const outOfOrderness = arrival ? order.maxOutOfOrdernessMs : 0;
  const lateness = options.allowedLatenessMs ?? 0;
  const entries = new Map<string, KeyEntry>();
  // Windows waiting to be emitted, bucketed by the watermark that completes them (end +
  // allowed lateness); `dues` is kept sorted ascending.
  const byDue = new Map<number, Window[]>();
  const dues: number[] = [];
  let head = 0;
  let openWindows = 0;
  let maxEventTime = Number.NEGATIVE_INFINITY;
  const { key, init, add, emit, merge } = feature;

  const forget = (window: Window) => {
    window.open = false;
    const entry = window.entry;
    if (entry.sessions) entry.sessions.splice(entry.sessions.indexOf(window), 1);
    else entry.windows.delete(window.start);
    // Forget keys with no open window: memory follows open windows, not every key ever seen.
    if (entry.windows.size === 0 && !entry.sessions?.length) entries.delete(entry.id);
    openWindows--;
  };

  const schedule = (window: Window) => {
    const due = window.end + lateness;
    let bucket = byDue.get(due);
    if (!bucket) {
      bucket = [];
      byDue.set(due, bucket);
      // Due times almost always arrive in increasing order; insert in place otherwise.
      let i = dues.length;
      while (i > head && dues[i - 1]! > due) i--;
      dues.splice(i, 0, due);
    }
    bucket.push(window);
  };

  const fire = (due: number) => {
    const bucket = byDue.get(due)!;
    byDue.delete(due);
    for (const window of bucket) {
      if (!window.open) continue;
      // A session that grew since it was scheduled is due later.
      if (window.end + lateness > due) {
        schedule(window);
        continue;
      }
      cursor.phase = 'emit';
      cursor.key = window.entry.record;
      emitRow(window, emit(window.accumulator, window));
      forget(window);
    }
  };

  /** Emit every window complete at this watermark. */
  const advance = (watermark: number) => {
    while (head < dues.length && dues[head]! <= watermark) {
      // fire() may schedule a grown session again, possibly at the current position.
      const due = dues[head++]!;
      fire(due);
    }
    if (head > 1024 && head * 2 > dues.length) {
      dues.splice(0, head);
      head = 0;
    }
  };

  const openWindow = (entry: KeyEntry, start: number, end: number): Window => {
    const window = new Window(entry, start, end);
    cursor.phase = 'init';
    window.accumulator = init(window);
    if (entry.sessions) entry.sessions.push(window);
    else entry.windows.set(start, window);
    schedule(window);
    stats.windows_opened++;
    openWindows++;
    if (openWindows > stats.max_open_windows) stats.max_open_windows = openWindows;
    return window;
  };

  const addTo = (window: Window, event: StreamEvent) => {
    cursor.phase = 'add';
    const next = add(window.accumulator, event);
    if (next !== undefined) window.accumulator = next;
  };

  /** Session windows: join, extend or merge the key's sessions that the event touches. */
  const addToSession = (entry: KeyEntry, event: StreamEvent, t: number, watermark: number) => {
    if (spec.kind !== 'session') return;
    const gap = spec.gapMs;
    const sessions = entry.sessions!;
    const touched = sessions.filter((w) => w.start < t + gap && t < w.end);
    if (touched.length === 0) {
      if (t + gap + lateness <= watermark) {
        late.record(event, entry, t);
        stats.late_events++;
        return;
      }
      const window = openWindow(entry, t, t + gap);
      sessions.sort((a, b) => a.start - b.start);
      addTo(window, event);
      return;
    }
    const target = touched[0]!;
    for (const other of touched.slice(1)) {
      if (!merge) {
        throw new Error(
          'an out-of-order event bridges two sessions of one key: session windows replayed in arrival order need merge(a, b)',
        );
      }
      cursor.phase = 'merge';
      target.accumulator = merge(target.accumulator, other.accumulator);
      target.end = Math.max(target.end, other.end);
      forget(other);
    }
    target.start = Math.min(target.start, t);
    const grown = Math.max(target.end, t + gap);
    if (grown !== target.end) {
      target.end = grown;
      schedule(target);
    }
    addTo(target, event);
  };

  const fixed = spec.kind === 'session' ? undefined : spec;
  const size = fixed?.sizeMs ?? 0;
  const tumblingOffset = spec.kind === 'tumbling' ? spec.offsetMs : 0;
  const readOptions = {
    timeColumn: options.timeColumn,
    orderExpression: arrival ? order.expression : undefined,
  };
  for await (const batch of readEvents(session, source, readOptions)) {
    const { events, times, length } = batch;
    for (let r = 0; r < length; r++) {
      const event = events[r]!;
      const t = times[r]!;
      cursor.eventNumber++;
      cursor.event = event;
      cursor.time = t;
      cursor.key = undefined;
      // The watermark: in event-time order the current event's time; in arrival order the
      // largest event time seen minus the allowed out-of-orderness.
      if (t > maxEventTime) maxEventTime = t;
      const watermark = arrival ? maxEventTime - outOfOrderness : t;
      advance(watermark);
      cursor.phase = 'key';
      const rawKey = key(event);
      cursor.key = rawKey;
      const id = typeof rawKey === 'string' && rawKey.charCodeAt(0) !== 1 ? rawKey : undefined;
      let entry = id === undefined ? undefined : entries.get(id);
      if (!entry) {
        const parts = codec.parts(rawKey);
        const keyId = KeyCodec.id(parts);
        entry = entries.get(keyId);
        if (!entry) {
          entry = { id: keyId, parts, record: codec.record(parts), windows: new Map() };
          if (spec.kind === 'session') entry.sessions = [];
          entries.set(keyId, entry);
        }
      }
      cursor.key = entry.record;
      if (spec.kind === 'tumbling' && !arrival) {
        // Fast path: in event-time order an event is never late.
        const start = Math.floor((t - tumblingOffset) / size) * size + tumblingOffset;
        addTo(entry.windows.get(start) ?? openWindow(entry, start, start + size), event);
      } else if (fixed) {
        const starts =
          spec.kind === 'tumbling'
            ? [Math.floor((t - tumblingOffset) / size) * size + tumblingOffset]
            : windowStartsFor(fixed, t);
        for (const start of starts) {
          const window = entry.windows.get(start);
          if (window) addTo(window, event);
          else if (start + size + lateness <= watermark) {
            late.record(event, entry, start);
            stats.late_events++;
          } else addTo(openWindow(entry, start, start + size), event);
        }
      } else addToSession(entry, event, t, watermark);
      if (entry.windows.size === 0 && !entry.sessions?.length) entries.delete(entry.id);
    }
    cursor.phase = 'harness';
    stats.events += length;
    await currentSink()?.settle();
    options.onProgress?.(stats.events);
  }
  cursor.event = undefined;
  cursor.time = undefined;
  advance(Number.POSITIVE_INFINITY);
  cursor.phase = 'harness';
}

async function replayProcessor(
  processor: StreamProcessor,
  session: Session,
  source: Source,
  options: HarnessOptions,
  codec: KeyCodec,
  cursor: Cursor,
  stats: HarnessStats,
  emitRow: (row: Record<string, unknown>) => void,
  currentSink: () => RowSink | undefined,
): Promise<void> {
  const states = new Map<string, object>();
  let now = Number.NaN;
  let maxEventTime = Number.NEGATIVE_INFINITY;
  const order = options.order ?? { kind: 'event-time' };
  const outOfOrderness = order.kind === 'arrival' ? order.maxOutOfOrdernessMs : 0;
  const context: ProcessorContext = {
    emit: (row) => emitRow(row),
    state: <S extends object>(key: EntityKey): S => {
      const id = KeyCodec.id(codec.parts(key));
      let state = states.get(id);
      if (!state) {
        state = {};
        states.set(id, state);
        if (states.size > stats.max_open_windows) stats.max_open_windows = states.size;
      }
      return state as S;
    },
    clearState: (key) => {
      states.delete(KeyCodec.id(codec.parts(key)));
    },
    get currentTime() {
      return now;
    },
    get watermark() {
      return order.kind === 'arrival' ? maxEventTime - outOfOrderness : now;
    },
  };
  const { onEvent } = processor;
  const readOptions = {
    timeColumn: options.timeColumn,
    orderExpression: order.kind === 'arrival' ? order.expression : undefined,
  };
  for await (const batch of readEvents(session, source, readOptions)) {
    const { events, times, length } = batch;
    cursor.phase = 'onEvent';
    for (let r = 0; r < length; r++) {
      const event = events[r]!;
      now = times[r]!;
      if (now > maxEventTime) maxEventTime = now;
      cursor.eventNumber++;
      cursor.event = event;
      cursor.time = now;
      onEvent(event, context);
    }
    cursor.phase = 'harness';
    stats.events += length;
    await currentSink()?.settle();
    options.onProgress?.(stats.events);
  }
  cursor.phase = 'onEnd';
  cursor.event = undefined;
  processor.onEnd?.(context);
  cursor.phase = 'harness';
}

export const LATE_EVENTS_TABLE = '__skewcheck_late_events';

/** The dropped events as a table: the log's columns, the key columns, and `__window_start`. */
async function writeLateEvents(
  session: Session,
  source: Source,
  options: HarnessOptions,
  late: LateEvents,
): Promise<string> {
  const typeOf = (sqlType: string) => {
    const family = familyOfSqlType(sqlType);
    return family === 'double'
      ? DOUBLE
      : family === 'bigint'
        ? BIGINT
        : family === 'boolean'
          ? BOOLEAN
          : family === 'timestamp'
            ? TIMESTAMP
            : VARCHAR;
  };
  const columns = source.columns.map((c) => ({ name: c.name, type: typeOf(c.type) }));
  const keyColumns = options.keyColumns
    .filter((k) => !source.columns.some((c) => c.name === k))
    .map((name) => ({ name, type: VARCHAR }));
  const writer = await TableWriter.create(session, LATE_EVENTS_TABLE, [
    ...columns,
    ...keyColumns,
    { name: '__window_start', type: TIMESTAMP },
  ]);
  const text = (v: unknown) =>
    v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);
  try {
    for (const row of late.rows) {
      const values: unknown[] = columns.map((c) => {
        const v = row.event[c.name];
        if (c.type === VARCHAR) return text(v);
        if (c.type === BIGINT && typeof v === 'number') return BigInt(Math.trunc(v));
        return v ?? null;
      });
      for (const k of keyColumns) values.push(text(row.parts[options.keyColumns.indexOf(k.name)]));
      values.push(new Date(row.windowStart));
      writer.append(values);
    }
  } finally {
    writer.close();
  }
  return LATE_EVENTS_TABLE;
}
