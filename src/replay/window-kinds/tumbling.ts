// Tumbling windows: fixed size, non-overlapping, aligned to the UTC epoch plus an offset; each
// event belongs to exactly one.
import type { StreamEvent } from '../contract.js';
import { type Duration, parseDuration } from '../duration.js';
import type { KeyEntry } from '../window-state.js';
import {
  floorTo,
  placeFixed,
  positiveDuration,
  type WindowAssigner,
  type WindowPlacement,
} from './assigner.js';

export interface TumblingWindow {
  readonly kind: 'tumbling';
  readonly sizeMs: number;
  readonly offsetMs: number;
}

/** Fixed-size, non-overlapping windows: each event belongs to exactly one. */
export function tumbling(size: Duration, options: { offset?: Duration } = {}): TumblingWindow {
  return {
    kind: 'tumbling',
    sizeMs: positiveDuration(size, 'window size'),
    offsetMs: parseDuration(options.offset ?? 0),
  };
}

export const tumblingWindows: WindowAssigner<TumblingWindow> = {
  kind: 'tumbling',
  sessions: false,
  isSpec: (value) => typeof value.sizeMs === 'number' && value.sizeMs > 0,
  windowsPerEvent: () => 1,
  place(spec: TumblingWindow, table: WindowPlacement, entry: KeyEntry, event: StreamEvent, t: number) {
    const start = floorTo(t, spec.sizeMs, spec.offsetMs);
    if (!table.arrival) {
      // In event-time order an event is never late.
      table.add(entry.windows.get(start) ?? table.open(entry, start, start + spec.sizeMs), event);
    } else placeFixed(table, entry, event, [start], spec.sizeMs);
  },
};
