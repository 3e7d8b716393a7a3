// The streaming harness: feeds the event log to the user's module one event at a time in
// replay order, assigns windows, keeps one accumulator per open (key, window), fires windows
// as event time passes their end and forgets them, and loads the emitted rows into DuckDB.
import { messageOf, UserCodeError } from '../errors.js';
import type { Session, Source } from '../io/index.js';
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

export interface HarnessOptions {
  keyColumns: string[];
  timeColumn: string;
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
  constructor(
    readonly entry: KeyEntry,
    readonly start: number,
    readonly end: number,
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
  /** Open windows of this key by start time (usually one, for tumbling windows). */
  windows: Map<number, Window>;
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
  const stats: HarnessStats = { events: 0, rows_emitted: 0, windows_opened: 0, max_open_windows: 0 };
  const keyTypes = new Map(source.columns.map((c) => [c.name, c.type]));
  const codec = new KeyCodec(options.keyColumns);
  let sink: RowSink | undefined;
  let expectedProperties = 0;

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
  return stats;
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
): Promise<void> {
  const spec = feature.window;
  const size = spec.sizeMs;
  const tumblingOffset = spec.kind === 'tumbling' ? spec.offsetMs : 0;
  const entries = new Map<string, KeyEntry>();
  // Windows waiting to fire, bucketed by end time; `ends` is kept sorted ascending.
  const byEnd = new Map<number, Window[]>();
  const ends: number[] = [];
  let head = 0;
  let openWindows = 0;
  const { key, init, add, emit } = feature;

  const fire = (end: number) => {
    const bucket = byEnd.get(end)!;
    byEnd.delete(end);
    cursor.phase = 'emit';
    for (const window of bucket) {
      cursor.key = window.entry.record;
      emitRow(window, emit(window.accumulator, window));
      const entry = window.entry;
      entry.windows.delete(window.start);
      // Forget keys with no open window: memory follows open windows, not every key ever seen.
      if (entry.windows.size === 0) entries.delete(entry.id);
    }
    openWindows -= bucket.length;
  };

  const schedule = (window: Window) => {
    let bucket = byEnd.get(window.end);
    if (!bucket) {
      bucket = [];
      byEnd.set(window.end, bucket);
      // Ends almost always arrive in increasing order; insert in place otherwise.
      let i = ends.length;
      while (i > head && ends[i - 1]! > window.end) i--;
      ends.splice(i, 0, window.end);
    }
    bucket.push(window);
  };

  const openWindow = (entry: KeyEntry, start: number): Window => {
    const window = new Window(entry, start, start + size);
    cursor.phase = 'init';
    window.accumulator = init(window);
    entry.windows.set(start, window);
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

  for await (const batch of readEvents(session, source, { timeColumn: options.timeColumn })) {
    const { events, times, length } = batch;
    for (let r = 0; r < length; r++) {
      const event = events[r]!;
      const t = times[r]!;
      cursor.eventNumber++;
      cursor.event = event;
      cursor.time = t;
      cursor.key = undefined;
      // In event-time order the watermark is the current event's time: every window that
      // ends at or before it is complete.
      while (head < ends.length && ends[head]! <= t) fire(ends[head++]!);
      if (head > 1024 && head * 2 > ends.length) {
        ends.splice(0, head);
        head = 0;
      }
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
          entries.set(keyId, entry);
        }
      }
      cursor.key = entry.record;
      if (spec.kind === 'tumbling') {
        const start = Math.floor((t - tumblingOffset) / size) * size + tumblingOffset;
        addTo(entry.windows.get(start) ?? openWindow(entry, start), event);
      } else {
        for (const start of windowStartsFor(spec, t))
          addTo(entry.windows.get(start) ?? openWindow(entry, start), event);
      }
    }
    cursor.phase = 'harness';
    stats.events += length;
    await currentSink()?.settle();
    options.onProgress?.(stats.events);
  }
  cursor.event = undefined;
  cursor.time = undefined;
  while (head < ends.length) fire(ends[head++]!);
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
  };
  const { onEvent } = processor;
  for await (const batch of readEvents(session, source, { timeColumn: options.timeColumn })) {
    const { events, times, length } = batch;
    cursor.phase = 'onEvent';
    for (let r = 0; r < length; r++) {
      const event = events[r]!;
      now = times[r]!;
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
