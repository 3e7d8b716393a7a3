-- API requests per client and minute: how many and how many bytes, on half-open windows
-- [start, start + 1m) — a request at exactly 08:01:00.000 belongs to the 08:01 window.
SELECT
  client_id,
  time_bucket(INTERVAL '1 minute', ts) AS window_start,
  time_bucket(INTERVAL '1 minute', ts) + INTERVAL '1 minute' AS window_end,
  count(*) AS requests_1m,
  sum(bytes) AS bytes_1m
FROM events
GROUP BY ALL;
