-- Card payments per user and 5-minute window. The payment log is delivered at least once, so a
-- transaction can appear more than once: keep one row per transaction_id.
WITH payments AS (
  SELECT * FROM events
  QUALIFY row_number() OVER (PARTITION BY transaction_id ORDER BY ts) = 1
)
SELECT
  user_id,
  time_bucket(INTERVAL '5 minutes', ts) AS window_start,
  time_bucket(INTERVAL '5 minutes', ts) + INTERVAL '5 minutes' AS window_end,
  count(*) AS txn_count_5m,
  sum(amount) AS total_spent_5m
FROM payments
GROUP BY ALL;
