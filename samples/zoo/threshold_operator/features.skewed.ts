// Parcel scans per hub and hour.
// THE BUG: a scan is late at >= 15 minutes where the SQL says > 15. Delays are whole minutes and
// many are exactly 15. No check names this bug: the diagnosis must not claim a reproduced cause.
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
    // BUG (deliberate): >= where the SQL says >: a scan exactly 15 minutes late counts as late.
    if (e.delay_min >= 15) acc.late += 1;
  },
  emit: (acc) => ({ scans_1h: acc.scans, late_scans_1h: acc.late }),
});
