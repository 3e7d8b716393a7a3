#!/usr/bin/env node
// Writes views.parquet: a deterministic product-view log for the "products viewed in the last
// 30 days" sample — 60 users browsing 200 products over 75 days, in sessions of a few views.
// Usage: node samples/ecommerce/generate.mjs [out.parquet]
import { renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const out = process.argv[2] ?? fileURLToPath(new URL('views.parquet', import.meta.url));
const tmp = `${out}.tmp`;
const db = await DuckDBInstance.create(':memory:', { threads: '1' });
const connection = await db.connect();
// hash(i, salt) gives reproducible pseudo-random numbers (DuckDB's random() is not seedable
// across threads). Each of 1,500 browsing sessions has 1–6 views a few minutes apart.
await connection.run(`COPY (
  WITH sessions AS (
    SELECT s,
      'c' || lpad(((hash(s, 1) % 60))::VARCHAR, 3, '0') AS user_id,
      TIMESTAMP '2026-01-01 00:00:00' + to_seconds((hash(s, 2) % (75 * 86400))::BIGINT) AS started,
      1 + (hash(s, 3) % 6)::INTEGER AS views
    FROM range(1500) r(s)
  )
  SELECT user_id,
    'p' || lpad((hash(s, v, 4) % 200)::VARCHAR, 4, '0') AS product_id,
    started + to_seconds((v * 40 + hash(s, v, 5) % 40)::BIGINT) AS ts
  FROM sessions, range(6) t(v)
  WHERE v < views
  ORDER BY ts, user_id, product_id
) TO '${tmp.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`);
connection.closeSync();
db.closeSync();
renameSync(tmp, out);
console.log(`wrote ${out}`);
