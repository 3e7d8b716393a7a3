-- Parcel scans per hub and hour, and those more than 15 minutes late.
SELECT
  hub_id,
  time_bucket(INTERVAL '1 hour', ts) AS window_start,
  time_bucket(INTERVAL '1 hour', ts) + INTERVAL '1 hour' AS window_end,
  count(*) AS scans_1h,
  count(*) FILTER (WHERE delay_min > 15) AS late_scans_1h
FROM events
GROUP BY ALL;
