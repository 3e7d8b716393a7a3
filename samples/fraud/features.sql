-- Fraud velocity features, batch implementation: per user and 5-minute tumbling window, the
-- number of card transactions, the amount spent and the number of distinct merchants.
-- Windows are half-open [window_start, window_end) and aligned to the UTC epoch. time_bucket's
-- default origin for TIMESTAMP is 2000-01-03 00:00:00 (a Monday), a whole number of 5-minute
-- steps after 1970-01-01, so its buckets coincide with epoch-aligned windows for any size that
-- divides a day (not for, say, 7-minute windows: pass an explicit origin then).
SELECT
  user_id,
  time_bucket(INTERVAL '5 minutes', ts) AS window_start,
  time_bucket(INTERVAL '5 minutes', ts) + INTERVAL '5 minutes' AS window_end,
  count(*) AS txn_count_5m,
  sum(amount) AS total_spent_5m,
  count(DISTINCT merchant_id) AS unique_merchants_5m
FROM events
GROUP BY ALL
ORDER BY user_id, window_start;
