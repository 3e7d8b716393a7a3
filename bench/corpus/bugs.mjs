// Bug families of the diagnosis corpus. Each family knows the diagnosis code that names it (the
// codes of src/diagnose; `null` for a bug no check covers), the slot of the pipeline it breaks
// (two bugs of a pair never share a slot), where it applies, and how to draw one randomised
// instance of it into a case plan.
import { DURATIONS } from './shapes.mjs';

const { MINUTE, HOUR, DAY } = DURATIONS;

const sign = (rng) => (rng.chance(0.5) ? 1 : -1);
const hhmm = (ms) => {
  const m = Math.abs(ms) / MINUTE;
  return `${ms < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** family name → { code, slot, applies(shape, windowMs), draw(plan, rng) → description } */
export const FAMILIES = {
  zone_whole_hours: {
    code: 'time_shift',
    slot: 'window',
    applies: () => true,
    draw(plan, rng) {
      const ms = sign(rng) * rng.int(1, 10) * HOUR;
      plan.window = { kind: 'zone', zone: ms, label: 'local' };
      return `windows cut on the wall clock of UTC${hhmm(ms)} and labelled as UTC`;
    },
  },
  zone_half_hour: {
    code: 'time_shift',
    slot: 'window',
    applies: () => true,
    draw(plan, rng) {
      const ms = rng.pick([330, 345, -210, 570]) * MINUTE;
      // Local bounds of a zone whose offset is a whole number of windows are the UTC bounds.
      const label = ms % plan.windowMs === 0 ? 'local' : rng.pick(['local', 'utc']);
      plan.window = { kind: 'zone', zone: ms, label };
      return `windows cut at wall-clock bounds of UTC${hhmm(ms)}, labelled ${label === 'utc' ? 'with their true UTC instant' : 'as if UTC'}`;
    },
  },
  zone_dst: {
    code: 'time_shift',
    slot: 'window',
    applies: () => true,
    draw(plan, rng) {
      // Hourly windows of a whole-hour zone labelled in UTC are the UTC windows: no bug to find.
      const label = plan.windowMs < DAY ? 'local' : rng.pick(['local', 'utc']);
      plan.window = { kind: 'zone', zone: 'America/New_York', label };
      return `windows cut on the wall clock of America/New_York (DST), labelled ${label === 'utc' ? 'with their true UTC instant' : 'as if UTC'}`;
    },
  },
  clock_shift: {
    code: 'time_shift',
    slot: 'window',
    applies: () => true,
    draw(plan, rng) {
      const ms = sign(rng) * rng.int(1, 56) * 15 * MINUTE;
      plan.window = { kind: 'clock_shift', ms };
      return `event time read ${hhmm(ms)} off (a skewed clock)`;
    },
  },
  label_shift: {
    code: 'time_shift',
    slot: 'window',
    applies: () => true,
    draw(plan, rng) {
      const ms = sign(rng) * rng.int(1, 56) * 15 * MINUTE;
      plan.window = { kind: 'label_shift', ms };
      return `window labels moved by ${hhmm(ms)}`;
    },
  },
  stream_inclusive_end: {
    code: 'window_boundary',
    slot: 'window',
    applies: () => true,
    draw(plan) {
      plan.window = { kind: 'incl_end' };
      return 'the stream closes a window only after its end: (start, end]';
    },
  },
  stream_both_ends: {
    code: 'window_boundary',
    slot: 'window',
    applies: () => true,
    draw(plan) {
      plan.window = { kind: 'both' };
      return 'the stream counts an event on a bound in both windows: [start, end]';
    },
  },
  sql_inclusive_end: {
    code: 'window_boundary',
    slot: 'window',
    applies: () => true,
    draw(plan) {
      plan.sql.window = 'incl_end';
      return 'the SQL windows are (start, end], the stream [start, end)';
    },
  },
  null_sum_zero: {
    code: 'null_handling',
    slot: 'agg',
    applies: (shape) => shape.aggBugs.includes('null_sum_zero'),
    draw(plan) {
      plan.agg.null = 'sum_zero';
      return 'a sum over only NULLs is 0 in the stream, NULL in SQL';
    },
  },
  null_counted: {
    code: 'null_handling',
    slot: 'agg',
    applies: (shape) => shape.aggBugs.includes('null_counted'),
    draw(plan) {
      plan.agg.null = 'counted';
      return 'the stream reads a NULL amount as 0: counts it and averages with it';
    },
  },
  null_bool_false: {
    code: 'null_handling',
    slot: 'agg',
    applies: (shape) => shape.aggBugs.includes('null_bool_false'),
    draw(plan) {
      plan.agg.null = 'bool_false';
      return 'the stream reads a NULL flag as false';
    },
  },
  key_transform: {
    code: 'key_normalisation',
    slot: 'key',
    applies: (shape) => shape.keyTransforms.length > 0,
    draw(plan, rng, shape) {
      plan.key = rng.pick(shape.keyTransforms);
      return `the stream's key is transformed (${plan.key})`;
    },
  },
  stream_dedup_changed: {
    code: 'duplicate_events',
    slot: 'dedup',
    applies: () => true,
    draw(plan, rng, shape) {
      const options = { by_id: ['none', 'by_key_ts'], none: ['by_row', 'by_id'], by_row: ['none'] }[
        shape.dedup
      ];
      plan.dedup = rng.pick(options);
      return `the stream deduplicates ${plan.dedup === 'none' ? 'nothing' : plan.dedup.replace('by_', 'by ')}, the SQL ${shape.dedup === 'none' ? 'nothing' : shape.dedup.replace('by_', 'by ')}`;
    },
  },
  sql_dedup_changed: {
    code: 'duplicate_events',
    slot: 'dedup',
    applies: (shape) => shape.dedup !== 'by_row',
    draw(plan, _rng, shape) {
      plan.sql.dedup = shape.dedup === 'none' ? 'by_row' : 'none';
      return `the SQL deduplicates ${plan.sql.dedup === 'none' ? 'nothing' : 'whole rows'}, the stream ${shape.dedup === 'none' ? 'nothing' : 'by id'}`;
    },
  },
  late_arrivals: {
    code: 'late_data',
    slot: 'order',
    applies: () => true,
    draw(plan, rng) {
      const maxMs = Math.round(plan.windowMs * (0.5 + rng.next() * 3));
      const rate = Math.round((0.02 + rng.next() * 0.1) * 1000) / 1000;
      plan.mode = 'feature';
      plan.simulateDelay = { rate, maxMs, seed: rng.int(1, 1_000_000) };
      return `${(rate * 100).toFixed(1)}% of events arrive up to ${Math.round(maxMs / MINUTE)} min late; no allowed lateness`;
    },
  },
  float32: {
    code: 'float_accumulation',
    slot: 'agg',
    applies: (shape) => shape.aggBugs.includes('float32'),
    draw(plan) {
      plan.agg.float32 = true;
      return 'the stream accumulates a sum in float32';
    },
  },
  other_column: {
    code: 'definition_difference',
    slot: 'agg',
    applies: (shape) => shape.aggBugs.includes('def'),
    draw(plan) {
      plan.agg.def = true;
      return 'the stream aggregates another column';
    },
  },
  // No check covers these: the diagnosis must leave them `consistent` or `unexplained`.
  threshold: {
    code: null,
    slot: 'agg',
    applies: (shape) => shape.aggBugs.includes('threshold'),
    draw(plan) {
      plan.agg.threshold = true;
      return 'a threshold compared with >= instead of > (or the reverse)';
    },
  },
  integer_mean: {
    code: null,
    slot: 'agg',
    applies: (shape) => shape.aggBugs.includes('trunc'),
    draw(plan) {
      plan.agg.trunc = true;
      return 'the stream truncates a mean to an integer';
    },
  },
  rounded_mean: {
    code: null,
    slot: 'agg',
    applies: (shape) => shape.aggBugs.includes('round'),
    draw(plan) {
      plan.agg.round = true;
      return 'the stream rounds a mean to 2 decimals';
    },
  },
  last_for_max: {
    code: null,
    slot: 'agg',
    applies: (shape) => shape.aggBugs.includes('last'),
    draw(plan) {
      plan.agg.last = true;
      return "the stream's max is the last reading";
    },
  },
};

export const COVERED = Object.keys(FAMILIES).filter((f) => FAMILIES[f].code !== null);
export const UNCOVERED = Object.keys(FAMILIES).filter((f) => FAMILIES[f].code === null);

/** Whether two families can break one pipeline together (different slots, different causes). */
export function compatible(a, b) {
  const fa = FAMILIES[a];
  const fb = FAMILIES[b];
  if (fa.slot === fb.slot || fa.code === fb.code) return false;
  // Late data needs the harness's windows; window bugs need a hand-written consumer.
  const slots = [fa.slot, fb.slot];
  return !(slots.includes('order') && slots.includes('window'));
}
