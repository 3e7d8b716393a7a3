-- Cart additions per user and 15-minute window, grouped by user_id exactly as logged — the way
-- the training set was built.
SELECT
  user_id,
  time_bucket(INTERVAL '15 minutes', ts) AS window_start,
  time_bucket(INTERVAL '15 minutes', ts) + INTERVAL '15 minutes' AS window_end,
  count(*) AS cart_adds_15m,
  sum(amount) AS cart_value_15m
FROM events
GROUP BY ALL;
