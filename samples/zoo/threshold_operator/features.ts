// Parcel scans per hub and hour.
// Late means more than 15 minutes, as in the SQL.
import { defineStreamingFeature, tumbling } from 'skewcheck';

interface Scan {
  scan_id: bigint;
  hub_id: string;
  delay_min: number;
  ts: Date;
}

export default defineStreamingFeature<Scan, { scans: number; late: number }>({
  key: (e) => e.hub_id,
  window: tumbling('1h'),
  init: () => ({ scans: 0, late: 0 }),
  add: (acc, e) => {
    acc.scans += 1;
    if (e.delay_min > 15) acc.late += 1;
  },
  emit: (acc) => ({ scans_1h: acc.scans, late_scans_1h: acc.late }),
});
