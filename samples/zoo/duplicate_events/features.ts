// Card payments per user and 5-minute window, deduplicated by transaction_id like the batch
// SQL. A redelivered payment carries its original ts, so its copies land in the same window and
// a per-window set of ids is enough (memory follows open windows, not history).
import { defineStreamingFeature, tumbling } from 'skewcheck';

interface Payment {
  transaction_id: bigint;
  user_id: string;
  amount: number;
  ts: Date;
}

interface Accumulator {
  seen: Set<bigint>;
  count: number;
  cents: number;
}

export default defineStreamingFeature<Payment, Accumulator>({
  key: (e) => e.user_id,
  window: tumbling('5m'),
  init: () => ({ seen: new Set<bigint>(), count: 0, cents: 0 }),
  add: (acc, e) => {
    if (acc.seen.has(e.transaction_id)) return;
    acc.seen.add(e.transaction_id);
    acc.count += 1;
    acc.cents += Math.round(e.amount * 100);
  },
  emit: (acc) => ({ txn_count_5m: acc.count, total_spent_5m: acc.cents / 100 }),
});
