// Orders per user and 15-minute window, with SQL's NULL semantics: discount_15m is null when no
// order of the window used a coupon, as sum() over only NULLs is in the batch SQL.
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
  discountCents: number | null;
}

export default defineStreamingFeature<Order, Accumulator>({
  key: (e) => e.user_id,
  window: tumbling('15m'),
  init: () => ({ orders: 0, cents: 0, discountCents: null }),
  add: (acc, e) => {
    acc.orders += 1;
    acc.cents += Math.round(e.amount * 100);
    if (e.discount !== null) acc.discountCents = (acc.discountCents ?? 0) + Math.round(e.discount * 100);
  },
  emit: (acc) => ({
    orders_15m: acc.orders,
    spent_15m: acc.cents / 100,
    discount_15m: acc.discountCents === null ? null : acc.discountCents / 100,
  }),
});
