// Fraud velocity features with a deliberate training-serving skew, for demos and tests of
// `skewcheck replay`: identical to features.ts except for one line.
//
// THE DELIBERATE BUG: unique_merchants_5m counts distinct merchant *names* instead of
// merchant ids. Names are display strings with spelling variants for the same merchant
// ('Starbucks', 'STARBUCKS', 'Starbucks Coffee', 'Starbucks #1234'), and stores of one chain
// share a name, so the count is too high in some windows and too low in others.
import { defineStreamingFeature, tumbling } from 'skewcheck';
import type { Transaction } from './features.js';

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
    acc.merchants.add(e.merchant_name); // BUG (deliberate): should be e.merchant_id.
  },
  emit: (acc) => ({
    txn_count_5m: acc.count,
    total_spent_5m: acc.cents / 100,
    unique_merchants_5m: acc.merchants.size,
  }),
});
