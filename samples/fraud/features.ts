// Fraud velocity features, streaming implementation: per user and 5-minute tumbling window,
// the number of card transactions, the amount spent and the number of distinct merchants.
// The batch twin is features.sql; `skewcheck replay` checks that the two agree.
import { defineStreamingFeature, tumbling } from 'skewcheck';

/** One row of events.parquet, as the replay harness hands it over. */
export interface Transaction {
  user_id: string;
  transaction_id: bigint;
  /** DECIMAL(10,2) arrives as a double. */
  amount: number;
  merchant_id: string;
  merchant_name: string;
  ts: Date;
}

interface Accumulator {
  count: number;
  /** Whole cents: summing doubles like 0.1 + 0.2 would drift from SQL's exact DECIMAL sum. */
  cents: number;
  merchants: Set<string>;
}

export default defineStreamingFeature<Transaction, Accumulator>({
  key: (e) => e.user_id,
  window: tumbling('5m'),
  init: () => ({ count: 0, cents: 0, merchants: new Set<string>() }),
  add: (acc, e) => {
    acc.count += 1;
    acc.cents += Math.round(e.amount * 100);
    acc.merchants.add(e.merchant_id);
  },
  emit: (acc) => ({
    txn_count_5m: acc.count,
    total_spent_5m: acc.cents / 100,
    unique_merchants_5m: acc.merchants.size,
  }),
});
