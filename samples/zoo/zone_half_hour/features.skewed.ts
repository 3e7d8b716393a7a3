// Orders and revenue per restaurant and day.
// THE BUG: days are cut at midnight in the restaurants' zone, Asia/Kolkata (UTC+5:30), so each
// window starts at 18:30 UTC where the SQL's starts at 00:00 UTC: every row differs.
import { defineStreamingFeature, tumbling } from 'skewcheck';

interface Order {
  order_id: bigint;
  restaurant_id: string;
  amount: number;
  ts: Date;
}

export default defineStreamingFeature<Order, { orders: number; cents: number }>({
  key: (e) => e.restaurant_id,
  window: tumbling('1d', { offset: '18h30m' }), // BUG (deliberate): local midnight in Asia/Kolkata (UTC+5:30)
  init: () => ({ orders: 0, cents: 0 }),
  add: (acc, e) => {
    acc.orders += 1;
    acc.cents += Math.round(e.amount * 100);
  },
  emit: (acc) => ({ orders_1d: acc.orders, revenue_1d: acc.cents / 100 }),
});
