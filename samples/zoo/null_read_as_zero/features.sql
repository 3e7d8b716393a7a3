-- Rides per driver and hour: how many, how many with a fare, and the mean fare. count(fare) and
-- avg(fare) skip rides whose fare is NULL (not known yet).
SELECT
  driver_id,
  time_bucket(INTERVAL '1 hour', ts) AS window_start,
  time_bucket(INTERVAL '1 hour', ts) + INTERVAL '1 hour' AS window_end,
  count(*) AS rides_1h,
  count(fare) AS priced_rides_1h,
  avg(fare) AS mean_fare_1h
FROM events
GROUP BY ALL;
