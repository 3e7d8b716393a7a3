// What the harness needs from a window kind: one typed object per kind (tumbling.ts, hopping.ts,
// session.ts), listed in registry.ts. The harness never branches on the kind itself.
import type { StreamEvent } from '../contract.js';
import { type Duration, parseDuration } from '../duration.js';
import type { KeyEntry, Window } from '../window-state.js';

/** The harness's window table, as an assigner sees it while placing one event. */
export interface WindowPlacement {
  /** Event time up to which the stream is complete, at this event. */
  readonly watermark: number;
  /** Arrival-order replay: events can be late, and windows can close before all their events came. */
  readonly arrival: boolean;
  /** How long after the watermark passes its end a window still takes late events, ms. */
  readonly lateness: number;
  /** Open a window of `entry` (calls the module's init) and schedule it to fire at its end. */
  open(entry: KeyEntry, start: number, end: number): Window;
  /** Fold the event into the window (calls the module's add). */
  add(window: Window, event: StreamEvent): void;
  /** Drop the event as late: every window it belongs to has fired. */
  late(event: StreamEvent, entry: KeyEntry, start: number): void;
  /** The window's end moved later: fire it then instead. */
  reschedule(window: Window): void;
  /** Fold `other` into `target` (calls the module's merge) and forget `other`. */
  merge(target: Window, other: Window): void;
}

export interface WindowAssigner<S extends { readonly kind: string }> {
  readonly kind: S['kind'];
  /** Whether a module's `window` value is a well-formed spec of this kind. */
  isSpec(value: Readonly<Record<string, unknown>>): boolean;
  /** The most windows one event can belong to; checked before a run. */
  windowsPerEvent(spec: S): number;
  /** Keys keep their open windows in a list (sessions, which move) instead of a map by start. */
  readonly sessions: boolean;
  /** Put one event into its windows: open, grow or merge them, or record the event as late. */
  place(spec: S, table: WindowPlacement, entry: KeyEntry, event: StreamEvent, t: number): void;
}

/** A positive duration in ms; throws a plain Error naming `what`. */
export function positiveDuration(value: Duration, what: string): number {
  const ms = parseDuration(value);
  if (ms <= 0) throw new Error(`${what} must be positive, got ${String(value)}`);
  return ms;
}

export function floorTo(t: number, step: number, offset: number): number {
  return Math.floor((t - offset) / step) * step + offset;
}

/** Fixed windows (tumbling, hopping): add to each window starting at `starts`, opening it or dropping the event as late. */
export function placeFixed(
  table: WindowPlacement,
  entry: KeyEntry,
  event: StreamEvent,
  starts: readonly number[],
  size: number,
): void {
  for (const start of starts) {
    const window = entry.windows.get(start);
    if (window) table.add(window, event);
    else if (start + size + table.lateness <= table.watermark) table.late(event, entry, start);
    else table.add(table.open(entry, start, start + size), event);
  }
}
