// Cart additions per user and 15-minute window, keyed by user_id as logged, like the batch SQL.
import { defineStreamingFeature, tumbling } from 'skewcheck';

interface CartAdd {
  event_id: bigint;
  user_id: string;
  amount: number;
  ts: Date;
}

interface Accumulator {
  adds: number;
  cents: number;
}

export default defineStreamingFeature<CartAdd, Accumulator>({
  key: (e) => e.user_id,
  window: tumbling('15m'),
  init: () => ({ adds: 0, cents: 0 }),
  add: (acc, e) => {
    acc.adds += 1;
    acc.cents += Math.round(e.amount * 100);
  },
  emit: (acc) => ({ cart_adds_15m: acc.adds, cart_value_15m: acc.cents / 100 }),
});
