// Orders and revenue per restaurant and day.
// Days cut at midnight UTC, as the SQL does.
import { defineStreamingFeature, tumbling } from 'skewcheck';

interface Order {
  order_id: bigint;
  restaurant_id: string;
  amount: number;
  ts: Date;
}

export default defineStreamingFeature<Order, { orders: number; cents: number }>({
  key: (e) => e.restaurant_id,
  window: tumbling('1d'),
  init: () => ({ orders: 0, cents: 0 }),
  add: (acc, e) => {
    acc.orders += 1;
    acc.cents += Math.round(e.amount * 100);
  },
  emit: (acc) => ({ orders_1d: acc.orders, revenue_1d: acc.cents / 100 }),
});
