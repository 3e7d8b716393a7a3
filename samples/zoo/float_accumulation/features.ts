// Card payments per merchant and hour, summed in double precision like the batch SQL.
import { defineStreamingFeature, tumbling } from 'skewcheck';

interface Payment {
  payment_id: bigint;
  merchant_id: string;
  amount: number;
  ts: Date;
}

interface Accumulator {
  payments: number;
  revenue: number;
}

export default defineStreamingFeature<Payment, Accumulator>({
  key: (e) => e.merchant_id,
  window: tumbling('1h'),
  init: () => ({ payments: 0, revenue: 0 }),
  add: (acc, e) => {
    acc.payments += 1;
    acc.revenue += e.amount;
  },
  emit: (acc) => ({ payments_1h: acc.payments, revenue_1h: acc.revenue }),
});
