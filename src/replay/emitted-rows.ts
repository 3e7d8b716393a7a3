// Checks the rows a module emits (an object of features per window, or a processor's own rows
// with key and window columns) and passes their values in column order to the row sink. The
// first emitted row fixes the feature columns.
import type { FeatureRow, KeyPart } from './contract.js';
import { type ChunkTarget, epochMs, RowSink, type ValueFamily } from './row-sink.js';
import type { Window } from './window-state.js';

const RESERVED = new Set(['window_start', 'window_end']);

export class EmittedRows {
  sink: RowSink | undefined;
  private expectedProperties = 0;

  private readonly keyColumns: readonly string[];

  constructor(
    /** Key columns, with their family when the log fixes it. */
    private readonly keys: readonly { name: string; family?: ValueFamily }[],
    private readonly modulePath: string,
    private readonly target: ChunkTarget,
  ) {
    this.keyColumns = keys.map((k) => k.name);
  }

  /** The first emitted row fixes the feature columns (an empty row: none, for a run that emitted nothing). */
  open(row: Record<string, unknown>, includesKeysAndWindow: boolean): RowSink {
    const keyColumns = this.keyColumns;
    const features = Object.keys(row).filter(
      (name) => !RESERVED.has(name) && !(includesKeysAndWindow && keyColumns.includes(name)),
    );
    const clash = features.find((f) => keyColumns.includes(f) || RESERVED.has(f));
    if (clash) throw new Error(`emit returned a feature named "${clash}", which is a key or window column`);
    this.expectedProperties = Object.keys(row).length;
    this.sink = new RowSink(this.target, [...this.keys], features, this.modulePath);
    return this.sink;
  }

  /** Feature values of an emitted row, in column order; a row with other properties is an error. */
  private featureValues(target: RowSink, row: Record<string, unknown>): unknown[] {
    const names = target.featureNames;
    const values = new Array<unknown>(names.length);
    for (let i = 0; i < names.length; i++) values[i] = row[names[i]!];
    let count = 0;
    for (const _ in row) count++;
    if (count !== this.expectedProperties) {
      const extra = Object.keys(row).filter(
        (n) => !names.includes(n) && !RESERVED.has(n) && !this.keyColumns.includes(n),
      );
      if (extra.length > 0) {
        throw new Error(
          `emitted a feature "${extra[0]}" that the first emitted row did not have (first row: ${names.join(', ')})`,
        );
      }
    }
    return values;
  }

  /** A windowed feature's emit() result for one window. */
  readonly feature = (window: Window, features: FeatureRow): void => {
    if (features === null || typeof features !== 'object' || Array.isArray(features)) {
      throw new Error(
        `emit must return an object of feature values, got ${features === null ? 'null' : typeof features}`,
      );
    }
    const sink = this.sink ?? this.open(features, false);
    sink.add(window.entry.parts, window.start, window.end, this.featureValues(sink, features));
  };

  /** A processor's ctx.emit(row): key columns, window bounds and features in one object. */
  readonly processor = (row: Record<string, unknown>): void => {
    if (row === null || typeof row !== 'object') throw new Error('ctx.emit needs an object');
    const missing = [...this.keyColumns, 'window_start', 'window_end'].filter((c) => !(c in row));
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
    const sink = this.sink ?? this.open(row, true);
    const parts = this.keyColumns.map((c) => row[c] as KeyPart);
    sink.add(parts, start, end, this.featureValues(sink, row));
  };
}
