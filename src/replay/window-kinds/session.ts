// Session windows: per-key activity sessions covering [first event, last event + gap). Windows
// differ per key; an out-of-order event that bridges two sessions merges them (with `merge`).
import type { Duration } from '../duration.js';
import { positiveDuration, type WindowAssigner } from './assigner.js';

export interface SessionWindow {
  readonly kind: 'session';
  /** A session ends `gap` after its last event; an event at or after that starts a new one. */
  readonly gapMs: number;
}

/**
 * Per-key activity sessions: a session covers [first event, last event + gap); windows differ
 * per key. Out-of-order events that bridge two sessions merge them (with the feature's `merge`).
 */
export function session(gap: Duration): SessionWindow {
  return { kind: 'session', gapMs: positiveDuration(gap, 'session gap') };
}

export const sessionWindows: WindowAssigner<SessionWindow> = {
  kind: 'session',
  sessions: true,
  isSpec: (value) => typeof value.gapMs === 'number',
  windowsPerEvent: () => 1,
  /** Join, extend or merge the key's sessions that the event touches. */
  place(spec, table, entry, event, t) {
    const gap = spec.gapMs;
    const sessions = entry.sessions!;
    const touched = sessions.filter((w) => w.start < t + gap && t < w.end);
    if (touched.length === 0) {
      if (t + gap + table.lateness <= table.watermark) {
        table.late(event, entry, t);
        return;
      }
      const window = table.open(entry, t, t + gap);
      sessions.sort((a, b) => a.start - b.start);
      table.add(window, event);
      return;
    }
    const target = touched[0]!;
    for (const other of touched.slice(1)) table.merge(target, other);
    target.start = Math.min(target.start, t);
    const grown = Math.max(target.end, t + gap);
    if (grown !== target.end) {
      target.end = grown;
      table.reschedule(target);
    }
    table.add(target, event);
  },
};
