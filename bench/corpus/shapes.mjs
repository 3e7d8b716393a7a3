// The three event logs of the diagnosis corpus and, for each, a correct pair of implementations
// (batch SQL, streaming module) whose pieces the bug families in bugs.mjs swap out. Each shape
// stresses the diagnosis differently: sparse 5-minute windows with one string key and a NULL-heavy
// amount; dense hourly windows with two keys, integer columns and whole-minute timestamps (events
// on bounds are common); and a timestamp-heavy sensor log across a DST change.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** mulberry32: a small seeded PRNG, so that the same seed gives the same corpus. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
  };
}

const iso = (ms) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const cents = (x) => Math.round(x * 100) / 100;

/** Sparse: card payments, 5-minute windows mostly holding one event. Dedup by event_id on both sides. */
function sparseEvents(rng, scale = 1) {
  const start = Date.UTC(2026, 0, 5);
  const rows = [];
  let id = 1000;
  for (let i = 0; i < 2400 * scale; i++) {
    const user = `u${String(rng.int(1, 300 * scale)).padStart(4, '0')}`;
    // 2% of events sit exactly on a 5-minute bound (rare, but there).
    const raw = start + Math.floor(rng.next() * 3 * DAY);
    const ts = rng.chance(0.02) ? Math.floor(raw / (5 * MINUTE)) * 5 * MINUTE : raw;
    const variant = rng.next();
    const user_id = variant < 0.04 ? user.toUpperCase() : variant < 0.07 ? `${user} ` : user;
    const merchant = rng.int(1, 40);
    const amount = rng.chance(0.25) ? null : cents(1 + rng.next() * 180);
    const event = {
      event_id: id++,
      user_id,
      ts: iso(ts),
      amount,
      // The amount in the card's currency: differs from amount for foreign cards.
      amount_local: amount === null ? null : rng.chance(0.3) ? cents(amount * 1.17) : amount,
      merchant_id: `m${merchant}`,
      // Two merchant ids share a display name now and then.
      merchant_name: `Shop ${Math.ceil(merchant / 2)}`,
    };
    rows.push(event);
    if (rng.chance(0.03)) rows.push({ ...event }); // redelivered copy, same event_id
    if (rng.chance(0.02)) rows.push({ ...event, event_id: id++, amount: cents(1 + rng.next() * 50) }); // a second payment at the same instant
  }
  return rows;
}

/** Dense: store orders, hourly windows of many events, whole-minute timestamps, two key columns. */
function denseEvents(rng, scale = 1) {
  const start = Date.UTC(2026, 1, 2);
  const rows = [];
  const regions = ['north', 'south', 'east', 'west'];
  let id = 1;
  for (let i = 0; i < 6000 * scale; i++) {
    const region = rng.pick(regions);
    const ts = start + rng.int(0, 36 * 60 - 1) * MINUTE;
    const qty = rng.int(0, 6);
    const delay = rng.chance(0.15) ? 15 : rng.int(0, 30);
    const store = rng.int(1, 3 * scale);
    const event = {
      order_id: id++,
      region: rng.chance(0.05) ? region[0].toUpperCase() + region.slice(1) : region,
      // One till logs store ids zero-padded.
      store_id: rng.chance(0.05) ? String(store).padStart(3, '0') : String(store),
      ts: iso(ts),
      qty,
      qty_ordered: qty + (rng.chance(0.2) ? rng.int(1, 3) : 0),
      price: cents(2 + rng.next() * 40),
      delay,
      coupon: rng.chance(0.7) ? null : rng.int(1, 5),
    };
    rows.push(event);
    if (rng.chance(0.03)) rows.push({ ...event }); // identical copy: both sides count it
  }
  return rows;
}

/** Timestamp-heavy: sensor readings over two weeks across the US DST change (2026-03-08). */
function sensorEvents(rng, scale = 1) {
  const start = Date.UTC(2026, 2, 1);
  const rows = [];
  let seq = 1;
  for (let i = 0; i < 3000 * scale; i++) {
    const raw = start + rng.int(0, 14 * 24 * 3600 - 1) * 1000;
    // 1% of readings are taken exactly on the hour (rare, but there).
    const ts = rng.chance(0.01) ? Math.floor(raw / HOUR) * HOUR : raw;
    const reading = rng.chance(0.1) ? null : Math.round(rng.next() * 1000) / 10;
    const event = {
      seq: seq++,
      device_id: rng.int(1, 40 * scale),
      ts: iso(ts),
      ingest_ts: iso(ts + rng.int(0, 20) * 1000),
      reading,
      reading_raw: reading === null ? null : Math.round(reading * (rng.chance(0.3) ? 1.8 : 1) * 10) / 10,
      ok: rng.chance(0.3) ? null : rng.chance(0.8),
    };
    rows.push(event);
    if (rng.chance(0.03)) rows.push({ ...event }); // retransmitted copy: both sides drop it
  }
  return rows;
}

// Feature code: one `features(evs)` function per shape, with switches for the aggregate bugs
// (`agg`): null = 'sum_zero' | 'counted' | 'bool_false'; float32; def (another column);
// threshold (>= instead of >, or the reverse); trunc (integer mean); round (2 decimals); last.
const acc = (agg, name, value) =>
  agg.float32 ? `${name} = Math.fround(${name} + ${value})` : `${name} += ${value}`;

function sparseFeaturesTs(agg) {
  const counted = agg.null === 'counted';
  return `function features(evs: Ev[]): Record<string, number | null> {
  let n = 0;
  let total = 0;
  let nAmount = 0;
  const merchants = new Set<string>();
  for (const e of evs) {
    n += 1;
    ${counted ? `${acc(agg, 'total', '(e.amount ?? 0)')};\n    nAmount += 1;` : `if (e.amount !== null) {\n      ${acc(agg, 'total', agg.def ? '(e.amount_local ?? 0)' : 'e.amount')};\n      nAmount += 1;\n    }`}
    merchants.add(e.merchant_id);
  }
  const avg = nAmount ? total / nAmount : null;
  return {
    n_events: n,
    total_amount: ${agg.null === 'sum_zero' || counted ? 'total' : 'nAmount ? total : null'},
    n_amount: nAmount,
    avg_amount: ${agg.round ? 'avg === null ? null : Math.round(avg * 100) / 100' : 'avg'},
    n_merchants: merchants.size,
  };
}`;
}

const SPARSE_SQL_FEATURES = `count(*) AS n_events,
  sum(amount) AS total_amount,
  count(amount) AS n_amount,
  avg(amount) AS avg_amount,
  count(DISTINCT merchant_id) AS n_merchants`;

function denseFeaturesTs(agg) {
  return `function features(evs: Ev[]): Record<string, number | null> {
  let orders = 0;
  let late = 0;
  let units = 0;
  let delaySum = 0;
  let revenue = 0;
  let coupons = 0;
  let withCoupon = 0;
  for (const e of evs) {
    orders += 1;
    if (e.delay ${agg.threshold ? '>=' : '>'} 15) late += 1;
    units += ${agg.def ? 'e.qty_ordered' : 'e.qty'};
    delaySum += e.delay;
    ${acc(agg, 'revenue', 'e.qty * e.price')};
    ${agg.null === 'sum_zero' ? 'coupons += e.coupon ?? 0;\n    withCoupon += 1;' : 'if (e.coupon !== null) {\n      coupons += e.coupon;\n      withCoupon += 1;\n    }'}
  }
  const mean = delaySum / orders;
  return {
    orders,
    late_orders: late,
    units,
    mean_delay: ${agg.trunc ? 'Math.trunc(mean)' : 'mean'},
    revenue,
    coupon_total: withCoupon ? coupons : null,
  };
}`;
}

const DENSE_SQL_FEATURES = `count(*) AS orders,
  count(*) FILTER (WHERE delay > 15) AS late_orders,
  sum(qty) AS units,
  avg(delay) AS mean_delay,
  sum(qty * price) AS revenue,
  sum(coupon) AS coupon_total`;

function sensorFeaturesTs(agg) {
  return `function features(evs: Ev[]): Record<string, number | null> {
  let readings = 0;
  let sum = 0;
  let withReading = 0;
  let max: number | null = null;
  let last: number | null = null;
  let notOk = 0;
  let high = 0;
  for (const e of evs) {
    readings += 1;
    const r = ${agg.def ? 'e.reading_raw' : 'e.reading'};
    if (r !== null) {
      ${acc(agg, 'sum', 'r')};
      withReading += 1;
      max = max === null || r > max ? r : max;
      last = r;
      if (r ${agg.threshold ? '>' : '>='} 50) high += 1;
    }
    if (${agg.null === 'bool_false' ? '!e.ok' : 'e.ok === false'}) notOk += 1;
  }
  return {
    readings,
    reading_sum: withReading ? sum : null,
    reading_max: ${agg.last ? 'last' : 'max'},
    not_ok: notOk,
    high_readings: high,
  };
}`;
}

const SENSOR_SQL_FEATURES = `count(*) AS readings,
  sum(reading) AS reading_sum,
  max(reading) AS reading_max,
  count(*) FILTER (WHERE NOT ok) AS not_ok,
  count(*) FILTER (WHERE reading >= 50) AS high_readings`;

export const SHAPES = {
  sparse: {
    name: 'sparse',
    columns: {
      event_id: 'BIGINT',
      user_id: 'VARCHAR',
      ts: 'TIMESTAMP',
      amount: 'DOUBLE',
      amount_local: 'DOUBLE',
      merchant_id: 'VARCHAR',
      merchant_name: 'VARCHAR',
    },
    keyColumns: ['user_id'],
    eventType:
      '{ event_id: bigint; user_id: string; ts: Date; amount: number | null; amount_local: number | null; merchant_id: string; merchant_name: string }',
    windows: [5 * MINUTE],
    dedup: 'by_id',
    idColumn: 'event_id',
    keyTransforms: ['trim', 'lower', 'trim_lower'],
    generate: sparseEvents,
    featuresTs: sparseFeaturesTs,
    sqlFeatures: SPARSE_SQL_FEATURES,
    aggBugs: ['null_sum_zero', 'null_counted', 'float32', 'def', 'round'],
  },
  dense: {
    name: 'dense',
    columns: {
      order_id: 'BIGINT',
      region: 'VARCHAR',
      store_id: 'VARCHAR',
      ts: 'TIMESTAMP',
      qty: 'INTEGER',
      qty_ordered: 'INTEGER',
      price: 'DOUBLE',
      delay: 'INTEGER',
      coupon: 'INTEGER',
    },
    keyColumns: ['region', 'store_id'],
    eventType:
      '{ order_id: bigint; region: string; store_id: string; ts: Date; qty: number; qty_ordered: number; price: number; delay: number; coupon: number | null }',
    windows: [HOUR],
    dedup: 'none',
    idColumn: 'order_id',
    keyTransforms: ['lower', 'cast'],
    generate: denseEvents,
    featuresTs: denseFeaturesTs,
    sqlFeatures: DENSE_SQL_FEATURES,
    aggBugs: ['null_sum_zero', 'float32', 'def', 'threshold', 'trunc'],
  },
  sensor: {
    name: 'sensor',
    columns: {
      seq: 'BIGINT',
      device_id: 'INTEGER',
      ts: 'TIMESTAMP',
      ingest_ts: 'TIMESTAMP',
      reading: 'DOUBLE',
      reading_raw: 'DOUBLE',
      ok: 'BOOLEAN',
    },
    keyColumns: ['device_id'],
    eventType:
      '{ seq: bigint; device_id: number; ts: Date; ingest_ts: Date; reading: number | null; reading_raw: number | null; ok: boolean | null }',
    windows: [HOUR, DAY],
    dedup: 'by_row',
    idColumn: 'seq',
    keyTransforms: [],
    generate: sensorEvents,
    featuresTs: sensorFeaturesTs,
    sqlFeatures: SENSOR_SQL_FEATURES,
    aggBugs: ['null_bool_false', 'float32', 'def', 'threshold', 'last'],
  },
};

export const DURATIONS = { MINUTE, HOUR, DAY };
