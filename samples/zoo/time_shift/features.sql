-- Orders per customer and hour — how many and how much — on UTC hours [start, start + 1h), as
-- the model was trained.
SELECT
  customer_id,
  time_bucket(INTERVAL '1 hour', ts) AS window_start,
  time_bucket(INTERVAL '1 hour', ts) + INTERVAL '1 hour' AS window_end,
  count(*) AS orders_1h,
  sum(amount) AS spent_1h
FROM events
GROUP BY ALL;
