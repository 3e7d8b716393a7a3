#!/usr/bin/env node
// Generates the synthetic card-transaction log of the fraud sample (and of the benchmarks) in
// DuckDB SQL. Deterministic: every pseudo-random draw is hash(key, salt, seed), never random(),
// so the same arguments give a byte-identical parquet file whatever the thread count.
//
//   node samples/fraud/generate.mjs [--events 40k] [--users 500] [--days 7] [--seed 42] [--out path]
import { realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

/** The committed sample's parameters. */
export const SAMPLE_DEFAULTS = Object.freeze({
  events: 40_000,
  users: 500,
  days: 7,
  seed: 42,
  merchants: 500,
  out: fileURLToPath(new URL('./events.parquet', import.meta.url)),
});

// Merchant brands: canonical name, the longer name some acquirers send, typical amount (USD).
// With the default 500 merchants, each brand has 10 stores (merchant ids).
const BRANDS = [
  ['Starbucks', 'Starbucks Coffee', 6],
  ["McDonald's", 'McDonalds Restaurant', 11],
  ['Amazon', 'AMZN Mktp US', 42],
  ['Uber', 'Uber Trip', 21],
  ['Lyft', 'Lyft Ride', 19],
  ['Walmart', 'Walmart Supercenter', 58],
  ['Target', 'Target Store', 52],
  ['Costco', 'Costco Wholesale', 135],
  ['Whole Foods', 'Whole Foods Market', 64],
  ["Trader Joe's", 'Trader Joes', 45],
  ['Kroger', 'Kroger Marketplace', 55],
  ['Safeway', 'Safeway Store', 48],
  ['Walgreens', 'Walgreens Pharmacy', 18],
  ['CVS', 'CVS Pharmacy', 17],
  ['Home Depot', 'The Home Depot', 95],
  ["Lowe's", 'Lowes Home Improvement', 88],
  ['Best Buy', 'Best Buy Store', 180],
  ['Apple', 'Apple Store', 320],
  ['Netflix', 'Netflix.com', 15],
  ['Spotify', 'Spotify USA', 11],
  ['Shell', 'Shell Oil', 44],
  ['Chevron', 'Chevron Station', 46],
  ['ExxonMobil', 'Exxon Mobil', 43],
  ['7-Eleven', '7-Eleven Store', 9],
  ['Chipotle', 'Chipotle Mexican Grill', 14],
  ['Subway', 'Subway Restaurant', 10],
  ["Domino's", 'Dominos Pizza', 24],
  ["Dunkin'", 'Dunkin Donuts', 7],
  ['Taco Bell', 'Taco Bell Restaurant', 11],
  ['Burger King', 'Burger King Restaurant', 11],
  ["Wendy's", 'Wendys', 10],
  ['Panera Bread', 'Panera Bread Bakery', 15],
  ['IKEA', 'IKEA Store', 140],
  ['H&M', 'H&M Store', 45],
  ['Zara', 'Zara Store', 70],
  ['Nike', 'Nike Store', 95],
  ['Sephora', 'Sephora Store', 60],
  ["Macy's", 'Macys', 85],
  ['Nordstrom', 'Nordstrom Store', 120],
  ['DoorDash', 'DoorDash Order', 32],
  ['Airbnb', 'Airbnb Inc', 290],
  ['Delta Air Lines', 'Delta Air', 380],
  ['United Airlines', 'United Air', 360],
  ['Marriott', 'Marriott Hotels', 230],
  ['Hilton', 'Hilton Hotels', 210],
  ['Expedia', 'Expedia.com', 260],
  ['Steam', 'Steam Games', 25],
  ['Etsy', 'Etsy.com', 35],
  ['eBay', 'eBay Marketplace', 48],
  ['AT&T', 'AT&T Wireless', 85],
];

const TID_MASK = 2 ** 40 - 1;
const EPOCH_2026_US = 1_767_225_600_000_000n; // 2026-01-01 00:00:00 UTC in microseconds.

/** Parses 40000, 40_000, 40k, 1m, 1.5M. */
export function parseCount(text) {
  const match = /^(\d+(?:\.\d+)?)([kmb]?)$/i.exec(String(text).replaceAll('_', '').trim());
  if (!match) throw new Error(`not a count: ${text}`);
  const scale = { '': 1, k: 1e3, m: 1e6, b: 1e9 }[match[2].toLowerCase()];
  return Math.round(Number(match[1]) * scale);
}

function gcd(a, b) {
  return b === 0 ? a : gcd(b, a % b);
}

/** A multiplier coprime to n, so that i -> (i * a + b) % n permutes 0..n-1. */
function coprimeMultiplier(n, start) {
  let a = start % n || 1;
  while (gcd(a, n) !== 1) a += 1;
  return a;
}

function sqlString(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

function sqlList(items) {
  return `[${items.join(', ')}]`;
}

function checkOptions({ events, users, days, seed, merchants }) {
  const positive = { events, users, days, merchants };
  for (const [name, value] of Object.entries(positive)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= 2 ** 31)
    throw new Error('--seed must be in 0..2^31-1');
  if (events >= 2 ** 31) throw new Error('--events must be below 2^31');
}

/**
 * Merchant m belongs to brand m % BRANDS.length and has four spellings: the canonical name,
 * upper case (or the long name in upper case when the name already is), the long name, and
 * the name with the store number.
 */
function merchantCatalogue(merchants) {
  const spellings = [];
  const typical = [];
  for (let m = 0; m < merchants; m++) {
    const [name, long, amount] = BRANDS[m % BRANDS.length];
    const store = 1000 + ((Math.imul(m + 1, 2_654_435_761) >>> 0) % 9000);
    const shouted = name.toUpperCase() !== name ? name.toUpperCase() : long.toUpperCase();
    spellings.push(name, shouted, long, `${name} #${store}`);
    typical.push(amount);
  }
  return { spellings, typical };
}

/**
 * The SQL that writes the log. Activity comes in sessions: one user, one start time and a
 * few transactions a few seconds to minutes apart, so 5-minute windows often hold several.
 *   kind 0, test    2%  card testing: 4-13 tiny amounts at one merchant, 2-10 s apart
 *   kind 1, single 35%  one transaction
 *   kind 2, repeat 25%  2-12 transactions at one merchant (retries, split bills), 5-90 s apart
 *   kind 3, spree  38%  2-15 transactions 20-240 s apart, a quarter at the session's merchant
 * 1.5% of sessions start exactly on a 5-minute boundary (window-edge cases). 15% of events
 * spell the merchant's name differently.
 */
export function fraudLogSql({ events, users, days, seed, merchants }, out) {
  const userWidth = Math.max(6, String(users - 1).length);
  const merchantWidth = Math.max(4, String(merchants - 1).length);
  const userMul = coprimeMultiplier(users, 7919);
  const merchantMul = coprimeMultiplier(merchants, 37);
  // Sessions average ~2.6 events (at least 1), so N/2.3 sessions leave a ~13% margin.
  const sessions = Math.ceil(events / 2.3) + 1000;
  const { spellings, typical } = merchantCatalogue(merchants);
  const dayUs = 86_400_000_000;
  const tidOffset = (seed * 40_503 + 12_345) % 2 ** 40; // seed < 2^31 keeps this exact.
  const pick = (uniform) =>
    `(floor(${merchants} * ${uniform} * ${uniform})::BIGINT * ${merchantMul} + 11) % ${merchants}`;
  const hash = (key, salt) => `hash(${key}, ${salt}, ${seed}::BIGINT)`;
  const merchantRows = typical.map((amount, m) => `(${m}, ${amount})`);
  return {
    // Draws the events as narrow rows and sorts them by time; strings are formatted afterwards
    // from a table scan, which keeps insertion order and lets the parquet writer run in parallel.
    sorted: `
-- Uniforms in (0, 1) from a 64-bit hash: 53 bits, or three of 21 bits (part(h, 0..2)). The
-- UBIGINT casts keep DuckDB from widening the bit operations to HUGEINT.
CREATE MACRO unit53(h) AS ((h >> 11::UBIGINT)::DOUBLE + 0.5) / 9007199254740992.0;
CREATE MACRO part(h, j) AS (((h >> (21 * j)::UBIGINT) & 2097151::UBIGINT)::DOUBLE + 0.5) / 2097152.0;
CREATE TEMP TABLE merchant(m, typical) AS VALUES ${merchantRows.join(', ')};
-- Sessions in parallel (a table keeps their order), then their events in order, then the
-- per-event draws in parallel again: a large LIMIT runs on one thread, so it gets its own step.
CREATE TEMP TABLE session AS
WITH session_draw AS (
  SELECT s, ${hash('s', 1)} AS h1, ${hash('s', 2)} AS h2, ${hash('s', 3)} AS h3, ${hash('s', 4)} AS h4
  FROM range(${sessions}) t(s)
),
session_kind AS (
  SELECT *,
    CASE WHEN part(h1, 0) < 0.02 THEN 0 WHEN part(h1, 0) < 0.37 THEN 1 WHEN part(h1, 0) < 0.62 THEN 2 ELSE 3 END
      AS kind
  FROM session_draw
),
session_drawn AS (
  SELECT s, kind,
    CASE kind
      WHEN 0 THEN 4 + floor(part(h1, 1) * 10)
      WHEN 1 THEN 1
      WHEN 2 THEN least(12, 2 + floor(-ln(part(h1, 1)) * 1.5))
      ELSE least(15, 2 + floor(-ln(part(h1, 1)) * 2.0))
    END::BIGINT AS len,
    -- Time between transactions, log-uniform within the kind's range (seconds).
    (CASE kind
      WHEN 0 THEN 2 * power(5, part(h1, 2))
      WHEN 2 THEN 5 * power(18, part(h1, 2))
      ELSE 20 * power(12, part(h1, 2))
    END * 1e6)::BIGINT AS gap_us,
    -- A skewed choice of user (a few heavy users), then permuted so ids do not reveal activity.
    (floor(${users} * power(part(h2, 0), 1.3))::BIGINT * ${userMul} + ${seed % users}) % ${users} AS user_idx,
    ${pick('part(h2, 1)')} AS home_m,
    -- Day uniform over the range; time of day mostly 07:00-22:00 peaking mid-afternoon, 8% at
    -- any hour before 23:00. Sessions last at most an hour, so none spills past the last day.
    floor(part(h2, 2) * ${days})::BIGINT * ${dayUs}
      + (CASE WHEN part(h4, 0) < 0.08 THEN unit53(h3) * 23 ELSE 7 + 15 * (unit53(h3) + part(h4, 1)) / 2 END
        * 3600e6)::BIGINT AS raw_start_us,
    part(h4, 2) < 0.015 AS snap
  FROM session_kind
)
SELECT * FROM session_drawn;
CREATE TEMP TABLE event AS
-- Event k of session s is number 16 s + k (sessions have at most 15), unique but not dense. The
-- log is the first N events in that order: LIMIT keeps insertion order, so it is deterministic,
-- and the same N gives the same events whatever the number of sessions drawn.
SELECT kind, gap_us, user_idx, home_m, k, s * 16 + k AS e,
  CASE WHEN snap THEN raw_start_us // 300000000 * 300000000 ELSE raw_start_us END AS start_us
FROM (SELECT *, unnest(range(len)) AS k FROM session)
LIMIT ${events};
DROP TABLE session;
CREATE TEMP TABLE event_sorted AS
WITH event_draw AS (
  SELECT *, ${hash('e', 20)} AS g1, ${hash('e', 21)} AS g2,
    -- A bijection of 0..2^40-1 (odd multiply, xor-shift, odd multiply, all mod 2^40): unique
    -- ids that do not reveal the event order.
    (e * 2654435761 + ${tidOffset}) & ${TID_MASK} AS tid_step,
    CASE WHEN kind = 3 AND k > 0 AND part(g1, 1) >= 0.25 THEN ${pick('part(g1, 2)')} ELSE home_m END AS m
  FROM event
)
SELECT
  'u' || lpad(user_idx::VARCHAR, ${userWidth}, '0') AS user_id,
  -- Transaction k sits in [k, k + 0.9) gaps after the start: strictly increasing in a session.
  start_us + CASE WHEN k = 0 THEN 0 ELSE ((k + 0.9 * part(g1, 0)) * gap_us)::BIGINT END AS ts_us,
  100000000000 + ((xor(tid_step, tid_step >> 20) * 6012905) & ${TID_MASK}) AS transaction_id,
  m::INTEGER AS m,
  -- Spelling 0 (canonical) for 85% of events, 1-3 for 5% each.
  CASE WHEN part(g2, 0) < 0.85 THEN 0 ELSE least(3, 1 + floor((part(g2, 0) - 0.85) * 20)) END::INTEGER
    AS spelling,
  -- Log-normal around the brand's typical amount (Box-Muller); card tests are 1.00-3.99.
  CASE WHEN kind = 0 THEN 1 + floor(part(g2, 1) * 300) / 100
    ELSE greatest(1, least(2000, round(
      typical * exp(0.8 * sqrt(-2 * ln(part(g2, 1))) * cos(2 * pi() * part(g2, 2))), 2)))
  END::DECIMAL(10, 2) AS amount
FROM event_draw JOIN merchant USING (m)
ORDER BY ts_us, transaction_id;
DROP TABLE event;
`,
    copy: `
COPY (
  SELECT
    user_id,
    transaction_id,
    amount,
    'm' || lpad(m::VARCHAR, ${merchantWidth}, '0') AS merchant_id,
    ${sqlList(spellings.map(sqlString))}[m * 4 + spelling + 1] AS merchant_name,
    make_timestamp(${EPOCH_2026_US}::BIGINT + ts_us) AS ts
  FROM event_sorted
) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd);
`,
  };
}

/**
 * Writes the log to `out` (atomically: a temporary file renamed into place).
 * Returns the row count, the file size in bytes and the time taken in milliseconds.
 */
export async function generateFraudLog(options = {}) {
  const opts = { ...SAMPLE_DEFAULTS, ...options };
  checkOptions(opts);
  const started = performance.now();
  const partial = `${opts.out}.partial-${process.pid}`;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const sql = fraudLogSql(opts, partial);
    await connection.run(sql.sorted);
    const result = await connection.run(sql.copy);
    const rows = Number(result.rowsChanged);
    if (rows !== opts.events) throw new Error(`generated ${rows} events instead of ${opts.events}`);
    renameSync(partial, opts.out);
    return { rows, bytes: statSync(opts.out).size, ms: performance.now() - started, out: opts.out };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function parseArgs(argv) {
  const options = {};
  const counts = new Set(['events', 'users', 'days', 'seed', 'merchants']);
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const name = flag.replace(/^--/, '');
    if (flag === '--help' || flag === '-h') return null;
    if (!flag.startsWith('--') || (!counts.has(name) && name !== 'out') || i + 1 >= argv.length) {
      throw new Error(`unknown or incomplete option: ${flag}`);
    }
    const value = argv[++i];
    options[name] = name === 'out' ? value : parseCount(value);
  }
  return options;
}

function isMain() {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  try {
    const options = parseArgs(process.argv.slice(2));
    if (options === null) {
      const d = SAMPLE_DEFAULTS;
      console.log(
        `usage: node samples/fraud/generate.mjs [--events ${d.events}] [--users ${d.users}] [--days ${d.days}]` +
          ` [--seed ${d.seed}] [--merchants ${d.merchants}] [--out samples/fraud/events.parquet]\n` +
          'Counts accept k/m suffixes (1m = 1,000,000).',
      );
    } else {
      const { rows, bytes, ms, out } = await generateFraudLog(options);
      const size = `${(bytes / 2 ** 20).toFixed(2)} MiB`;
      console.log(`${out}: ${rows.toLocaleString('en-US')} events, ${size}, ${(ms / 1000).toFixed(2)} s`);
    }
  } catch (error) {
    console.error(`generate: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  }
}
