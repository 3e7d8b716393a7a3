// In-app purchases per user and 5-minute window. The code is the same as the batch SQL's: the
// skew of this case lives in the stream job's configuration. Replayed in arrival order
// (--arrival-column ingest_ts) with a 30 s watermark and no allowed lateness, the events that
// arrive minutes late find their window already emitted and are dropped.
import { defineStreamingFeature, tumbling } from 'skewcheck';

interface Purchase {
  event_id: bigint;
  user_id: string;
  amount: number;
  ts: Date;
  ingest_ts: Date;
}

interface Accumulator {
  purchases: number;
  cents: number;
}

export default defineStreamingFeature<Purchase, Accumulator>({
  key: (e) => e.user_id,
  window: tumbling('5m'),
  init: () => ({ purchases: 0, cents: 0 }),
  add: (acc, e) => {
    acc.purchases += 1;
    acc.cents += Math.round(e.amount * 100);
  },
  emit: (acc) => ({ purchases_5m: acc.purchases, spent_5m: acc.cents / 100 }),
});
