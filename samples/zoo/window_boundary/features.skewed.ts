// API requests per client and minute, as the rate limiter's hand-written consumer computes them.
// THE BUG: a window is closed only by an event *after* its end (`t > end`), so a request at
// exactly the end — cron jobs fire on the minute — is counted in the window that just ended
// (an inclusive end) instead of the next one.
import { defineStreamProcessor, type ProcessorContext } from 'skewcheck';

interface Request {
  request_id: bigint;
  client_id: string;
  bytes: number;
  ts: Date;
}

interface OpenMinute {
  start: number;
  end: number;
  requests: number;
  bytes: number;
}

const MINUTE = 60_000;
const open = new Map<string, OpenMinute>();

function emitMinute(ctx: ProcessorContext, client_id: string, w: OpenMinute): void {
  ctx.emit({
    client_id,
    window_start: w.start,
    window_end: w.end,
    requests_1m: w.requests,
    bytes_1m: w.bytes,
  });
}

export default defineStreamProcessor<Request>({
  onEvent(e, ctx) {
    const t = e.ts.getTime();
    let w = open.get(e.client_id);
    // BUG (deliberate): should be t >= w.end — windows are [start, end).
    if (w && t > w.end) {
      emitMinute(ctx, e.client_id, w);
      w = undefined;
    }
    if (!w) {
      const start = Math.floor(t / MINUTE) * MINUTE;
      w = { start, end: start + MINUTE, requests: 0, bytes: 0 };
      open.set(e.client_id, w);
    }
    w.requests += 1;
    w.bytes += e.bytes;
  },
  onEnd(ctx) {
    for (const [client, w] of [...open].sort(([a], [b]) => (a < b ? -1 : 1))) emitMinute(ctx, client, w);
    open.clear();
  },
});
