// Source text of one corpus case: the batch SQL and the streaming module, written from a plan
// (shape, window length, and the pieces a bug replaced). The correct plan of every shape gives a
// pair that agrees row for row (the corpus's control cases check it).

const INTERVALS = {
  300000: "INTERVAL '5 minutes'",
  3600000: "INTERVAL '1 hour'",
  86400000: "INTERVAL '1 day'",
};

function sqlFrom(shape, dedup) {
  if (dedup === 'by_id') {
    return `(SELECT * FROM events QUALIFY row_number() OVER (PARTITION BY ${shape.idColumn} ORDER BY ts) = 1)`;
  }
  if (dedup === 'by_row') return '(SELECT DISTINCT * FROM events)';
  return 'events';
}

/** Batch SQL: `plan.sql.window` is 'ok' or 'incl_end' ((start, end] windows); `plan.sql.dedup` overrides the shape's. */
export function batchSql(shape, plan) {
  const every = INTERVALS[plan.windowMs];
  const bucket = `time_bucket(${every}, ts)`;
  const start =
    plan.sql.window === 'incl_end'
      ? `CASE WHEN ts = ${bucket} THEN ${bucket} - ${every} ELSE ${bucket} END`
      : bucket;
  return `-- corpus case ${plan.id} (${shape.name}): ${plan.description}
SELECT
  ${shape.keyColumns.join(', ')},
  ${start} AS window_start,
  ${start} + ${every} AS window_end,
  ${shape.sqlFeatures}
FROM ${sqlFrom(shape, plan.sql.dedup ?? shape.dedup)}
GROUP BY ALL;
`;
}

function keyExpressions(shape, transform) {
  if (shape.name === 'sparse') {
    if (transform === 'trim') return ['e.user_id.trim()'];
    if (transform === 'lower') return ['e.user_id.toLowerCase()'];
    if (transform === 'trim_lower') return ['e.user_id.trim().toLowerCase()'];
    return ['e.user_id'];
  }
  if (shape.name === 'dense') {
    if (transform === 'lower') return ['e.region.toLowerCase()', 'e.store_id'];
    if (transform === 'cast') return ['e.region', 'String(Number(e.store_id))'];
    return ['e.region', 'e.store_id'];
  }
  return ['e.device_id'];
}

function keepFunction(shape, dedup) {
  const body = {
    none: 'return true;',
    by_id: `const id = String(e.${shape.idColumn});\n  if (seen.has(id)) return false;\n  seen.add(id);\n  return true;`,
    by_row: `const id = JSON.stringify(e, (_, v) => (typeof v === 'bigint' ? String(v) : v));\n  if (seen.has(id)) return false;\n  seen.add(id);\n  return true;`,
    by_key_ts: `const id = JSON.stringify([keyOf(e), e.ts.getTime()]);\n  if (seen.has(id)) return false;\n  seen.add(id);\n  return true;`,
  }[dedup];
  return `function keep(e: Ev): boolean {\n  ${body}\n}`;
}

/** The zone's offset from UTC at instant t, ms: a fixed offset or an IANA zone read through Intl. */
function offsetFunction(zone) {
  if (zone === undefined) return 'function offset(_t: number): number {\n  return 0;\n}';
  if (typeof zone === 'number') return `function offset(_t: number): number {\n  return ${zone};\n}`;
  return `const zone = new Intl.DateTimeFormat('en-US', {
  timeZone: ${JSON.stringify(zone)},
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});
function offset(t: number): number {
  const p = Object.fromEntries(zone.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(t / 1000) * 1000;
}`;
}

/**
 * windowsOf(t): the windows an event at t joins, as [bucket, label start] pairs. `plan.window`:
 * ok | incl_end | both | label_shift (ms) | clock_shift (ms) | zone (offset or IANA name, label
 * 'local' = the wall-clock bound written as UTC, 'utc' = the instant of the wall-clock bound).
 */
function windowsFunction(window) {
  const floor = 'Math.floor(t / LEN) * LEN';
  switch (window.kind) {
    case 'incl_end':
      return `function windowsOf(t: number): [number, number][] {\n  const s = ${floor};\n  const start = t === s ? s - LEN : s;\n  return [[start, start]];\n}`;
    case 'both':
      return `function windowsOf(t: number): [number, number][] {\n  const s = ${floor};\n  return t === s ? [[s - LEN, s - LEN], [s, s]] : [[s, s]];\n}`;
    case 'label_shift':
      return `function windowsOf(t: number): [number, number][] {\n  const s = ${floor};\n  return [[s, s + ${window.ms}]];\n}`;
    case 'clock_shift':
      return `function windowsOf(t: number): [number, number][] {\n  const local = t + ${window.ms};\n  const s = Math.floor(local / LEN) * LEN;\n  return [[s, s]];\n}`;
    case 'zone':
      return `${offsetFunction(window.zone)}\nfunction windowsOf(t: number): [number, number][] {\n  const local = t + offset(t);\n  const s = Math.floor(local / LEN) * LEN;\n  return [[s, ${window.label === 'utc' ? 's - offset(t)' : 's'}]];\n}`;
    default:
      return `function windowsOf(t: number): [number, number][] {\n  const s = ${floor};\n  return [[s, s]];\n}`;
  }
}

function header(shape, plan) {
  return `// corpus case ${plan.id} (${shape.name}): ${plan.description}
type Ev = ${shape.eventType};
type Key = (string | number)[];
const LEN = ${plan.windowMs};
const seen = new Set<string>();

${shape.featuresTs(plan.agg)}

function keyOf(e: Ev): Key {
  return [${keyExpressions(shape, plan.key).join(', ')}];
}

${keepFunction(shape, plan.dedup ?? shape.dedup)}
`;
}

function keyFields(shape) {
  return shape.keyColumns.map((c, i) => `${c}: w.key[${i}]!`).join(', ');
}

/** A hand-written consumer: buffers each (key, window)'s events and emits every window at the end. */
function processorModule(shape, plan) {
  return `import { defineStreamProcessor } from 'skewcheck';

${header(shape, plan)}
${windowsFunction(plan.window)}

interface Open {
  key: Key;
  label: number;
  events: Ev[];
}
const windows = new Map<string, Open>();

export default defineStreamProcessor<Ev>({
  onEvent(e) {
    if (!keep(e)) return;
    const key = keyOf(e);
    for (const [bucket, label] of windowsOf(e.ts.getTime())) {
      const id = JSON.stringify([...key, bucket]);
      let w = windows.get(id);
      if (!w) {
        w = { key, label, events: [] };
        windows.set(id, w);
      }
      w.events.push(e);
    }
  },
  onEnd(ctx) {
    const ids = [...windows.keys()].sort();
    for (const id of ids) {
      const w = windows.get(id)!;
      ctx.emit({ ${keyFields(shape)}, window_start: w.label, window_end: w.label + LEN, ...features(w.events) });
    }
    windows.clear();
    seen.clear();
  },
});
`;
}

/** A windowed feature: the harness assigns windows and drops what arrives after the watermark. */
function featureModule(shape, plan) {
  return `import { defineStreamingFeature, tumbling } from 'skewcheck';

${header(shape, plan)}
export default defineStreamingFeature<Ev, { events: Ev[] }>({
  key: (e) => keyOf(e),
  window: tumbling(LEN),
  init: () => ({ events: [] }),
  add: (acc, e) => {
    if (keep(e)) acc.events.push(e);
  },
  emit: (acc) => features(acc.events),
});
`;
}

export function streamModule(shape, plan) {
  return plan.mode === 'feature' ? featureModule(shape, plan) : processorModule(shape, plan);
}
