-- Orders per user and 15-minute window: how many, how much, and the coupon discounts granted.
-- discount is NULL for an order without a coupon, and sum() over no non-NULL value is NULL: a
-- window without any coupon has a NULL discount_15m (the model was trained on that).
SELECT
  user_id,
  time_bucket(INTERVAL '15 minutes', ts) AS window_start,
  time_bucket(INTERVAL '15 minutes', ts) + INTERVAL '15 minutes' AS window_end,
  count(*) AS orders_15m,
  sum(amount) AS spent_15m,
  sum(discount) AS discount_15m
FROM events
GROUP BY ALL;
