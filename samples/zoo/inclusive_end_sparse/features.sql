-- Door openings per sensor and 5-minute window, on half-open windows [start, start + 5m): a
-- reading at exactly 10:05 belongs to the 10:05 window.
SELECT
  sensor_id,
  time_bucket(INTERVAL '5 minutes', ts) AS window_start,
  time_bucket(INTERVAL '5 minutes', ts) + INTERVAL '5 minutes' AS window_end,
  count(*) AS readings_5m,
  sum(opened) AS openings_5m
FROM events
GROUP BY ALL;
