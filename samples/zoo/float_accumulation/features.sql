-- Card payments per merchant and hour: how many, and the revenue (amount is a DOUBLE in dollars;
-- DuckDB sums in double precision).
SELECT
  merchant_id,
  time_bucket(INTERVAL '1 hour', ts) AS window_start,
  time_bucket(INTERVAL '1 hour', ts) + INTERVAL '1 hour' AS window_end,
  count(*) AS payments_1h,
  sum(amount) AS revenue_1h
FROM events
GROUP BY ALL;
