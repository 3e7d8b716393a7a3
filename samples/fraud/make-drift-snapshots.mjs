#!/usr/bin/env node
// Generates samples/fraud/train.parquet and samples/fraud/prod.parquet: two feature snapshots of a
// fraud model for `skewcheck drift`. Deterministic (hash-based pseudo-random numbers, one thread,
// ordered output). Against train, prod has exactly three problems:
//   - distance_from_home_km drifted (log-normal location shifted by +0.6),
//   - country drifted (US share 60% → 40%, new countries BR and MX),
//   - device_type became NULL in ~30% of rows (0% in train), its categories otherwise unchanged;
// every other feature is drawn from the same distribution in both snapshots.
//   node samples/fraud/make-drift-snapshots.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const here = dirname(fileURLToPath(import.meta.url));
const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
const connection = await instance.connect();

// Uniform in (0, 1) from row i and stream k; streams of the two snapshots never overlap.
const u = (k) => `((hash(i * 1024 + ${k}) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`;
const normal = (k) => `(sqrt(-2 * ln(${u(k)})) * cos(2 * pi() * ${u(k + 1)}))`;
const pick = (k, cases) => {
  // cases: [[threshold, value], ...] on one uniform draw
  const whens = cases.map(([t, v]) => `WHEN ${u(k)} < ${t} THEN '${v}'`).join(' ');
  return `CASE ${whens} END`;
};

function snapshot({ rows, stream, start, prod }) {
  const s = (k) => stream + k;
  const country = prod
    ? pick(s(40), [
        [0.4, 'US'],
        [0.55, 'GB'],
        [0.65, 'DE'],
        [0.75, 'FR'],
        [0.8, 'CA'],
        [0.9, 'BR'],
        [1.01, 'MX'],
      ])
    : pick(s(40), [
        [0.6, 'US'],
        [0.75, 'GB'],
        [0.85, 'DE'],
        [0.95, 'FR'],
        [1.01, 'CA'],
      ]);
  const device = pick(s(50), [
    [0.55, 'mobile'],
    [0.85, 'desktop'],
    [0.97, 'tablet'],
    [1.01, 'pos'],
  ]);
  return `
    SELECT
      printf('u%06d', i + ${prod ? 100000 : 0}) AS user_id,
      TIMESTAMP '${start}' + to_seconds(i * 37) AS snapshot_ts,
      CASE WHEN ${u(s(1))} < 0.01 THEN NULL ELSE round(exp(3.2 + 0.8 * ${normal(s(2))}), 2) END AS amount_mean_7d,
      floor(-ln(${u(s(4))}) * 6)::INTEGER AS txn_count_24h,
      floor(${u(s(5))} * 3650)::INTEGER AS account_age_days,
      round(exp(${prod ? 2.6 : 2.0} + 1.0 * ${normal(s(6))}), 3) AS distance_from_home_km,
      ${pick(s(8), [
        [0.3, 'grocery'],
        [0.5, 'fuel'],
        [0.7, 'online'],
        [0.85, 'travel'],
        [1.01, 'electronics'],
      ])} AS merchant_category,
      ${country} AS country,
      ${prod ? `CASE WHEN ${u(s(60))} < 0.3 THEN NULL ELSE ${device} END` : device} AS device_type
    FROM range(${rows}) t(i)
    ORDER BY user_id`;
}

const targets = [
  ['train.parquet', snapshot({ rows: 5000, stream: 0, start: '2026-01-05 00:00:00', prod: false })],
  ['prod.parquet', snapshot({ rows: 4000, stream: 512, start: '2026-03-02 00:00:00', prod: true })],
];
for (const [file, sql] of targets) {
  const path = join(here, file).replaceAll("'", "''");
  await connection.run(`COPY (${sql}) TO '${path}' (FORMAT parquet, COMPRESSION zstd)`);
  const reader = await connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${path}')`);
  console.log(`wrote ${file}: ${reader.getRowObjects()[0].n} rows`);
}
connection.closeSync();
instance.closeSync();
