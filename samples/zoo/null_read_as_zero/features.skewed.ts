// Rides per driver and hour.
// THE BUG: a ride without a fare yet is read as a fare of 0: it is counted as priced and pulls
// the mean down, where the SQL's count(fare) and avg(fare) skip it.
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
    // BUG (deliberate): a missing fare is read as 0, counted and averaged.
    const fare = e.fare ?? 0;
    acc.priced += 1;
    acc.total += fare;
  },
  emit: (acc) => ({
    rides_1h: acc.rides,
    priced_rides_1h: acc.priced,
    mean_fare_1h: acc.priced === 0 ? null : acc.total / acc.priced,
  }),
});
