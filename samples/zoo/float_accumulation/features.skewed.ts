// Card payments per merchant and hour.
// THE BUG: to halve the state's memory the revenue is kept in a Float32Array, so every addition
// rounds to single precision (about 7 significant digits): the hourly revenue is off by a
// few parts in 10^8 — harmless for the model, but not equal to the batch SQL's double sum.
import { defineStreamingFeature, tumbling } from 'skewcheck';

interface Payment {
  payment_id: bigint;
  merchant_id: string;
  amount: number;
  ts: Date;
}

interface Accumulator {
  payments: number;
  revenue: Float32Array;
}

export default defineStreamingFeature<Payment, Accumulator>({
  key: (e) => e.merchant_id,
  window: tumbling('1h'),
  init: () => ({ payments: 0, revenue: new Float32Array(1) }), // BUG (deliberate): float32 state.
  add: (acc, e) => {
    acc.payments += 1;
    acc.revenue[0]! += e.amount;
  },
  emit: (acc) => ({ payments_1h: acc.payments, revenue_1h: acc.revenue[0]! }),
});
