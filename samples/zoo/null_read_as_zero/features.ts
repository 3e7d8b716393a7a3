// Rides per driver and hour.
// Rides without a fare are skipped by the fare features, as count(fare) and avg(fare) do.
import { defineStreamingFeature, tumbling } from 'skewcheck';

interface Ride {
  ride_id: bigint;
  driver_id: string;
  /** null when the fare is not known yet. */
  fare: number | null;
  ts: Date;
}

interface Accumulator {
  rides: number;
  priced: number;
  total: number;
}

export default defineStreamingFeature<Ride, Accumulator>({
  key: (e) => e.driver_id,
  window: tumbling('1h'),
  init: () => ({ rides: 0, priced: 0, total: 0 }),
  add: (acc, e) => {
    acc.rides += 1;
    if (e.fare === null) return;
    acc.priced += 1;
    acc.total += e.fare;
  },
  emit: (acc) => ({
    rides_1h: acc.rides,
    priced_rides_1h: acc.priced,
    mean_fare_1h: acc.priced === 0 ? null : acc.total / acc.priced,
  }),
});
