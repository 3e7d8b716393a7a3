-- Orders and revenue per restaurant and day, days cut at midnight UTC.
SELECT
  restaurant_id,
  time_bucket(INTERVAL '1 day', ts) AS window_start,
  time_bucket(INTERVAL '1 day', ts) + INTERVAL '1 day' AS window_end,
  count(*) AS orders_1d,
  sum(amount) AS revenue_1d
FROM events
GROUP BY ALL;
