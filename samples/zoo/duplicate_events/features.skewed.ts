// Card payments per user and 5-minute window.
// THE BUG: the consumer assumes exactly-once delivery and counts every message, so a payment
// redelivered by the broker is counted (and its amount added) once per copy.
import { defineStreamingFeature, tumbling } from 'skewcheck';

interface Payment {
  transaction_id: bigint;
  user_id: string;
  amount: number;
  ts: Date;
}

interface Accumulator {
  count: number;
  cents: number;
}

export default defineStreamingFeature<Payment, Accumulator>({
  key: (e) => e.user_id,
  window: tumbling('5m'),
  init: () => ({ count: 0, cents: 0 }),
  add: (acc, e) => {
    // BUG (deliberate): no deduplication by e.transaction_id.
    acc.count += 1;
    acc.cents += Math.round(e.amount * 100);
  },
  emit: (acc) => ({ txn_count_5m: acc.count, total_spent_5m: acc.cents / 100 }),
});
