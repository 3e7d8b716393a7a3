-- In-app purchases per user and 5-minute window, over every event of the log — including those
-- that reached the pipeline late (ingest_ts minutes after ts, the phone was offline).
SELECT
  user_id,
  time_bucket(INTERVAL '5 minutes', ts) AS window_start,
  time_bucket(INTERVAL '5 minutes', ts) + INTERVAL '5 minutes' AS window_end,
  count(*) AS purchases_5m,
  sum(amount) AS spent_5m
FROM events
GROUP BY ALL;
