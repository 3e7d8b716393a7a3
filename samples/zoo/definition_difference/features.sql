-- Product views per shopper and 30-minute window: how many, and how many different products
-- (offers) — by product_id: two sellers' offers of a 'USB-C Cable' are two products.
SELECT
  user_id,
  time_bucket(INTERVAL '30 minutes', ts) AS window_start,
  time_bucket(INTERVAL '30 minutes', ts) + INTERVAL '30 minutes' AS window_end,
  count(*) AS views_30m,
  count(DISTINCT product_id) AS distinct_products_30m
FROM events
GROUP BY ALL;
