#!/usr/bin/env node
// Generates the event log of every zoo case (samples/zoo/<case>/events.parquet) in DuckDB SQL.
// Deterministic: every pseudo-random draw is hash(row, salt, seed), never random(), so the same
// script gives the same rows whatever the machine or thread count.
//
//   node samples/zoo/generate.mjs [case …] [--out-dir dir]
import { mkdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const ZOO = fileURLToPath(new URL('.', import.meta.url));
const SEED = 2026;
/** Monday 2 March 2026, 00:00 UTC (winter time in Europe: CET is UTC+1). */
const DAY = "TIMESTAMP '2026-03-02 00:00:00'";

/** A uniform in [0, 1) from a hash of (row, salt): `u(i, 3)`. */
const MACROS = `
  CREATE MACRO u(i, salt) AS (hash(i, salt, ${SEED}) % 1000000)::DOUBLE / 1000000;
  CREATE MACRO pick(i, salt, n) AS CAST(floor(u(i, salt) * n) AS INTEGER);
  CREATE MACRO id(prefix, n, width) AS prefix || lpad(CAST(n AS VARCHAR), width, '0');
  CREATE MACRO cents(x) AS CAST(round(x, 2) AS DECIMAL(10, 2));
`;

/** One SELECT per case: the rows of its events.parquet, in a total order. */
export const CASES = {
  // Food orders; the stream buckets hours in local time (UTC+1) and labels them as UTC.
  time_shift: `
    SELECT id('c', pick(i, 1, 40), 3) AS customer_id,
           100000 + i AS order_id,
           cents(6 + 70 * u(i, 2) * u(i, 3)) AS amount,
           ${DAY} + to_seconds(CAST(floor(u(i, 4) * 2 * 86400) AS BIGINT)) AS ts
    FROM range(800) t(i)
    ORDER BY ts, order_id`,

  // Card payments delivered at least once: about 6% of transactions arrive twice or three times.
  duplicate_events: `
    WITH payments AS (
      SELECT 7000000 + i AS transaction_id,
             id('u', pick(i, 1, 40), 3) AS user_id,
             cents(2 + 120 * u(i, 2) * u(i, 2)) AS amount,
             ${DAY} + INTERVAL 8 HOUR + to_milliseconds(CAST(floor(u(i, 3) * 8 * 3600 * 1000) AS BIGINT)) AS ts,
             u(i, 4) AS r
      FROM range(1000) t(i)
    )
    SELECT transaction_id, user_id, amount, ts
    FROM payments, range(3) c(copy)
    WHERE copy = 0 OR (copy = 1 AND r < 0.06) OR (copy = 2 AND r < 0.015)
    ORDER BY ts, transaction_id, copy`,

  // Orders with an optional coupon: discount is NULL when no coupon was used (about 3 in 4).
  null_handling: `
    SELECT 200000 + i AS order_id,
           id('u', pick(i, 1, 30), 3) AS user_id,
           cents(10 + 90 * u(i, 2)) AS amount,
           CASE WHEN u(i, 3) < 0.25 THEN cents((10 + 90 * u(i, 2)) * (0.05 + 0.15 * u(i, 4))) END AS discount,
           ${DAY} + INTERVAL 9 HOUR + to_seconds(CAST(floor(u(i, 5) * 10 * 3600) AS BIGINT)) AS ts
    FROM range(900) t(i)
    ORDER BY ts, order_id`,

  // API requests: interactive apps call at random instants, cron jobs exactly on the minute.
  window_boundary: `
    WITH apps AS (
      SELECT id('app-', pick(i, 1, 24), 2) AS client_id,
             ${DAY} + INTERVAL 8 HOUR + to_milliseconds(CAST(floor(u(i, 2) * 3 * 3600 * 1000) AS BIGINT)) AS ts,
             CAST(200 + floor(4000 * u(i, 3)) AS INTEGER) AS bytes
      FROM range(1500) t(i)
    ), cron AS (
      SELECT id('cron-', j, 2) AS client_id,
             ${DAY} + INTERVAL 8 HOUR + to_minutes(m) AS ts,
             CAST(1000 + floor(500 * u(j * 1000 + m, 5)) AS INTEGER) AS bytes
      FROM range(6) a(j), range(180) b(m)
      WHERE u(j * 1000 + m, 4) < 0.4
    )
    SELECT row_number() OVER (ORDER BY ts, client_id, bytes) + 300000 AS request_id, client_id, bytes, ts
    FROM (SELECT * FROM apps UNION ALL SELECT * FROM cron)
    ORDER BY ts, client_id, bytes`,

  // In-app purchases from phones; most reach the pipeline in seconds, about 3% minutes later
  // (the phone was offline). ingest_ts is when the event reached the stream.
  late_data: `
    WITH purchases AS (
      SELECT 400000 + i AS event_id,
             id('u', pick(i, 1, 30), 3) AS user_id,
             cents(1 + 20 * u(i, 2)) AS amount,
             ${DAY} + INTERVAL 10 HOUR + to_milliseconds(CAST(floor(u(i, 3) * 4 * 3600 * 1000) AS BIGINT)) AS ts,
             u(i, 4) AS r, u(i, 5) AS d
      FROM range(1500) t(i)
    )
    SELECT event_id, user_id, amount, ts,
           ts + to_milliseconds(CAST(CASE WHEN r < 0.03 THEN 180000 + d * 900000 ELSE 300 + d * 4700 END AS BIGINT)) AS ingest_ts
    FROM purchases
    ORDER BY ts, event_id`,

  // Clicks from three clients: the web sends 'u007', the iOS app 'U007', a legacy form 'u007 '.
  key_normalisation: `
    WITH clicks AS (
      SELECT 500000 + i AS event_id, id('u', pick(i, 1, 40), 3) AS canonical, u(i, 2) AS client,
             cents(5 + 45 * u(i, 3)) AS amount,
             ${DAY} + INTERVAL 7 HOUR + to_seconds(CAST(floor(u(i, 4) * 12 * 3600) AS BIGINT)) AS ts
      FROM range(1200) t(i)
    )
    SELECT event_id,
           CASE WHEN client < 0.15 THEN upper(canonical) WHEN client < 0.2 THEN canonical || ' ' ELSE canonical END AS user_id,
           amount, ts
    FROM clicks
    ORDER BY ts, event_id`,

  // Product views: shoppers compare offers of one product type from several sellers; offers of
  // a type share a display name ('USB-C Cable') but each has its own product_id.
  definition_difference: `
    WITH names(type, product_name) AS (VALUES
      (0, 'USB-C Cable'), (1, 'Phone Case'), (2, 'Wireless Earbuds'), (3, 'Screen Protector'),
      (4, 'Power Bank'), (5, 'Laptop Stand'), (6, 'Desk Lamp'), (7, 'Coffee Grinder'),
      (8, 'Water Bottle'), (9, 'Yoga Mat')),
    views AS (
      SELECT 600000 + i AS view_id, pick(i, 1, 40) AS shopper,
             (pick(i, 1, 40) * 7 + pick(i, 2, 3)) % 10 AS type, pick(i, 3, 4) AS seller,
             ${DAY} + INTERVAL 8 HOUR + to_seconds(CAST(floor(u(i, 4) * 10 * 3600) AS BIGINT)) AS ts
      FROM range(1500) t(i)
    )
    SELECT view_id, id('s', shopper, 3) AS user_id, id('p', type * 4 + seller, 3) AS product_id, product_name, ts
    FROM views JOIN names USING (type)
    ORDER BY ts, view_id`,

  // Food deliveries in India over ten days: the stream cuts days at midnight in Asia/Kolkata
  // (UTC+5:30) and labels the windows in UTC (18:30); the SQL cuts them at midnight UTC.
  zone_half_hour: `
    SELECT 900000 + i AS order_id,
           id('r', pick(i, 1, 25), 3) AS restaurant_id,
           cents(3 + 30 * u(i, 2)) AS amount,
           ${DAY} + to_seconds(CAST(floor(u(i, 3) * 10 * 86400) AS BIGINT)) AS ts
    FROM range(1500) t(i)
    ORDER BY ts, order_id`,

  // Rides with a fare: about one in five has no fare yet (NULL) when the event is logged.
  null_read_as_zero: `
    SELECT 910000 + i AS ride_id,
           id('d', pick(i, 1, 30), 3) AS driver_id,
           CASE WHEN u(i, 2) < 0.2 THEN NULL ELSE cents(4 + 40 * u(i, 3)) END AS fare,
           ${DAY} + INTERVAL 6 HOUR + to_seconds(CAST(floor(u(i, 4) * 14 * 3600) AS BIGINT)) AS ts
    FROM range(1200) t(i)
    ORDER BY ts, ride_id`,

  // Door sensors that report rarely, on whole minutes: most 5-minute windows hold one event.
  inclusive_end_sparse: `
    SELECT 920000 + i AS reading_id,
           id('door-', pick(i, 1, 60), 2) AS sensor_id,
           CAST(floor(1 + 9 * u(i, 2)) AS INTEGER) AS opened,
           ${DAY} + to_minutes(CAST(floor(u(i, 3) * 3 * 1440) AS BIGINT)) AS ts
    FROM range(900) t(i)
    ORDER BY ts, reading_id`,

  // Parcel scans on whole minutes with a delay in whole minutes: many are exactly 15.
  threshold_operator: `
    SELECT 930000 + i AS scan_id,
           id('hub', pick(i, 1, 12), 2) AS hub_id,
           CAST(CASE WHEN u(i, 2) < 0.3 THEN 15 ELSE floor(40 * u(i, 3)) END AS INTEGER) AS delay_min,
           ${DAY} + to_minutes(CAST(floor(u(i, 4) * 2 * 1440) AS BIGINT)) AS ts
    FROM range(1400) t(i)
    ORDER BY ts, scan_id`,

  // Card payments per merchant; amounts in dollars as DOUBLE.
  float_accumulation: `
    SELECT 800000 + i AS payment_id,
           id('m', pick(i, 1, 20), 2) AS merchant_id,
           round(1 + 400 * u(i, 2) * u(i, 3), 2) AS amount,
           ${DAY} + to_milliseconds(CAST(floor(u(i, 4) * 86400 * 1000) AS BIGINT)) AS ts
    FROM range(2000) t(i)
    ORDER BY ts, payment_id`,
};

function sqlString(value) {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Writes the named cases' logs (all by default) under `outDir/<case>/events.parquet`. */
export async function generateZoo({ cases = Object.keys(CASES), outDir = ZOO } = {}) {
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await db.connect();
  try {
    await connection.run(MACROS);
    const written = [];
    for (const name of cases) {
      const select = CASES[name];
      if (!select) throw new Error(`unknown zoo case "${name}" (cases: ${Object.keys(CASES).join(', ')})`);
      const dir = join(outDir, name);
      mkdirSync(dir, { recursive: true });
      const out = join(dir, 'events.parquet');
      const partial = `${out}.partial`;
      rmSync(partial, { force: true });
      await connection.run(`COPY (${select}) TO ${sqlString(partial)} (FORMAT parquet, COMPRESSION zstd)`);
      renameSync(partial, out);
      written.push(out);
    }
    return written;
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

function isMain() {
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out-dir');
  const outDir = at >= 0 ? args[at + 1] : ZOO;
  const cases = at >= 0 ? [...args.slice(0, at), ...args.slice(at + 2)] : args;
  for (const file of await generateZoo({ cases: cases.length ? cases : undefined, outDir })) {
    process.stdout.write(`wrote ${file}\n`);
  }
}
