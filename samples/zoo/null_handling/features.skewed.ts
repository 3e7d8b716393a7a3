// Orders per user and 15-minute window.
// THE BUG: the discount accumulator starts at 0 and a missing discount counts as 0, so a window
// without any coupon says discount_15m = 0 where the batch SQL (sum over only NULLs) says NULL.
import { defineStreamingFeature, tumbling } from 'skewcheck';

interface Order {
  order_id: bigint;
  user_id: string;
  amount: number;
  /** null when the order used no coupon. */
  discount: number | null;
  ts: Date;
}

interface Accumulator {
  orders: number;
  cents: number;
  discountCents: number;
}

export default defineStreamingFeature<Order, Accumulator>({
  key: (e) => e.user_id,
  window: tumbling('15m'),
  init: () => ({ orders: 0, cents: 0, discountCents: 0 }),
  add: (acc, e) => {
    acc.orders += 1;
    acc.cents += Math.round(e.amount * 100);
    acc.discountCents += Math.round((e.discount ?? 0) * 100); // BUG (deliberate): NULL becomes 0.
  },
  emit: (acc) => ({
    orders_15m: acc.orders,
    spent_15m: acc.cents / 100,
    discount_15m: acc.discountCents / 100,
  }),
});
