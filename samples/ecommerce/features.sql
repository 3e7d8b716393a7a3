-- "Products viewed in the last 30 days", batch implementation: for every user and every hourly
-- step, the views and distinct products in the 30 days before it. Hopping windows of 30 days
-- every hour: each view belongs to the 720 windows whose [start, start + 30 days) contains it,
-- the windows starting at its hour and the 719 hours before.
WITH hops AS (SELECT unnest(range(0, 720)) AS k)
SELECT
  user_id,
  time_bucket(INTERVAL 1 HOUR, ts) - to_hours(k) AS window_start,
  time_bucket(INTERVAL 1 HOUR, ts) - to_hours(k) + INTERVAL 30 DAY AS window_end,
  count(*) AS views_30d,
  count(DISTINCT product_id) AS products_viewed_30d
FROM events, hops
GROUP BY ALL;
