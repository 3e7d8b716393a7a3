// Orders per customer and hour, as the hand-written consumer of the restaurant app's stream.
// THE BUG: the hour is taken on the restaurants' local clock (Europe/Berlin, UTC+1 in winter)
// and that wall-clock hour is emitted as if it were UTC, so every window comes out 1h late.
import { defineStreamProcessor, type ProcessorContext } from 'skewcheck';

interface Order {
  customer_id: string;
  order_id: bigint;
  amount: number;
  ts: Date;
}

interface OpenHour {
  start: number;
  orders: number;
  cents: number;
}

const HOUR = 3_600_000;
/** Europe/Berlin in winter. */
const LOCAL_UTC_OFFSET = 1 * HOUR;
const open = new Map<string, OpenHour>();

function emitHour(ctx: ProcessorContext, customer_id: string, hour: OpenHour): void {
  ctx.emit({
    customer_id,
    window_start: hour.start,
    window_end: hour.start + HOUR,
    orders_1h: hour.orders,
    spent_1h: hour.cents / 100,
  });
}

export default defineStreamProcessor<Order>({
  onEvent(e, ctx) {
    // BUG (deliberate): a local wall-clock hour, labelled as UTC. Should be e.ts.getTime().
    const start = Math.floor((e.ts.getTime() + LOCAL_UTC_OFFSET) / HOUR) * HOUR;
    let hour = open.get(e.customer_id);
    if (hour && hour.start !== start) {
      emitHour(ctx, e.customer_id, hour);
      hour = undefined;
    }
    if (!hour) {
      hour = { start, orders: 0, cents: 0 };
      open.set(e.customer_id, hour);
    }
    hour.orders += 1;
    hour.cents += Math.round(e.amount * 100);
  },
  onEnd(ctx) {
    for (const [customer, hour] of [...open].sort(([a], [b]) => (a < b ? -1 : 1)))
      emitHour(ctx, customer, hour);
    open.clear();
  },
});
