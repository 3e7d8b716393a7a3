// Door openings per sensor and 5-minute window, as the building's hand-written consumer counts them.
// THE BUG: the windows include their end, (start, end]: a reading on a whole 5 minutes belongs to
// the window it closes. The sensors report rarely, so most windows hold one reading and the rows
// move to the previous window instead of changing value.
import { defineStreamProcessor } from 'skewcheck';

interface Reading {
  reading_id: bigint;
  sensor_id: string;
  opened: number;
  ts: Date;
}

const WINDOW = 5 * 60_000;
const windows = new Map<string, { sensor_id: string; start: number; readings: number; openings: number }>();

export default defineStreamProcessor<Reading>({
  onEvent(e) {
    const t = e.ts.getTime();
    // BUG (deliberate): windows are (start, end], so a reading at exactly 10:05 lands in the
    // 10:00 window; it should be Math.floor(t / WINDOW) * WINDOW.
    const start = Math.ceil(t / WINDOW) * WINDOW - WINDOW;
    const id = `${e.sensor_id}|${start}`;
    const w = windows.get(id) ?? { sensor_id: e.sensor_id, start, readings: 0, openings: 0 };
    w.readings += 1;
    w.openings += e.opened;
    windows.set(id, w);
  },
  onEnd(ctx) {
    for (const w of windows.values()) {
      ctx.emit({
        sensor_id: w.sensor_id,
        window_start: w.start,
        window_end: w.start + WINDOW,
        readings_5m: w.readings,
        openings_5m: w.openings,
      });
    }
    windows.clear();
  },
});
