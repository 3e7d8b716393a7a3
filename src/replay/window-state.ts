// The harness's per-key state for windowed features: one `KeyEntry` per key with an open
// window, and one `Window` (accumulator and bounds) per open (key, window).
import type { KeyPart, WindowContext } from './contract.js';

export interface KeyEntry {
  id: string;
  parts: KeyPart[];
  record: Record<string, KeyPart>;
  /** Open fixed windows of this key by start time (usually one, for tumbling windows). */
  windows: Map<number, Window>;
  /** Open sessions of this key, in start order (session windows only). */
  sessions?: Window[];
}

/** The context handed to init/emit; Dates are only built when the module asks for them. */
export class Window implements WindowContext {
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
