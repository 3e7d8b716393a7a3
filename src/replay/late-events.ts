// Events dropped as late in arrival-order replay: counted per (key, window) for the result, and
// kept for the late-events table (late-events-table.ts) the diagnosis and the report read.
import type { KeyPart, StreamEvent } from './contract.js';

export interface LateWindow {
  key: Record<string, KeyPart>;
  window_start: number;
  events: number;
}

export class LateEvents {
  readonly rows: { event: StreamEvent; parts: KeyPart[]; windowStart: number }[] = [];
  private readonly perWindow = new Map<string, LateWindow>();

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

  /** Most affected first, then by window start and key. */
  windows(): LateWindow[] {
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
