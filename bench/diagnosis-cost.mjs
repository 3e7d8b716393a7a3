#!/usr/bin/env node
// Diagnosis cost: what diagnosing adds to a replay's wall time. A generated log (1M events by
// default) where the stream reads a NULL amount as 0, so about 10% of the (key, window) rows
// differ; each round replays it twice in one process — a bare replay and diff, and the replay as
// the CLI and the library run it (diagnosis and first-divergence bisection of 50 rows) —
// alternating which goes first. Prints the medians of wall and CPU time and the ratios; never
// gates CI.
//
//   npm run build && node bench/diagnosis-cost.mjs [--events 1000000] [--rounds 3]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { runReplay } = await import(join(ROOT, 'dist', 'replay', 'index.js'));
const { replayDiagnosed } = await import(join(ROOT, 'dist', 'check', 'replay-diagnosed.js'));

function parseArgs(argv) {
  const options = { events: 1_000_000, rounds: 3 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--events') options.events = Number(argv[++i]);
    else if (argv[i] === '--rounds') options.rounds = Number(argv[++i]);
    else throw new Error(`unknown option ${argv[i]} (expected --events N and/or --rounds N)`);
  }
  return options;
}

const SQL = `SELECT user_id,
  time_bucket(INTERVAL '1 hour', ts) AS window_start,
  time_bucket(INTERVAL '1 hour', ts) + INTERVAL '1 hour' AS window_end,
  count(*) AS events_1h, count(amount) AS priced_1h, avg(amount) AS mean_amount_1h
FROM events GROUP BY ALL;
`;

const STREAM = `import { defineStreamingFeature, tumbling } from 'skewcheck';
export default defineStreamingFeature({
  key: (e) => e.user_id,
  window: tumbling('1h'),
  init: () => ({ n: 0, priced: 0, total: 0 }),
  add: (acc, e) => {
    acc.n += 1;
    const amount = e.amount ?? 0; // the skew: a NULL amount read as 0
    acc.priced += 1;
    acc.total += amount;
  },
  emit: (acc) => ({ events_1h: acc.n, priced_1h: acc.priced, mean_amount_1h: acc.priced ? acc.total / acc.priced : null }),
});
`;

async function generate(dir, events) {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  // 8% of amounts NULL, about 1.2 events per (user, hour): about 10% of the rows differ.
  await c.run(`COPY (
    SELECT i AS event_id, 'u' || lpad(CAST(hash(i, 1) % ${Math.max(1, Math.floor(events / 40))} AS VARCHAR), 7, '0') AS user_id,
      CASE WHEN hash(i, 2) % 100 < 8 THEN NULL ELSE round((hash(i, 3) % 10000) / 100.0, 2) END AS amount,
      TIMESTAMP '2026-03-02' + to_seconds(CAST(hash(i, 4) % (48 * 3600) AS BIGINT)) AS ts
    FROM range(${events}) t(i) ORDER BY ts) TO '${join(dir, 'events.parquet')}' (FORMAT parquet)`);
  c.closeSync();
  db.closeSync();
  writeFileSync(join(dir, 'features.sql'), SQL);
  writeFileSync(join(dir, 'features.skewed.ts'), STREAM);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function replay(dir, diagnose) {
  const options = {
    eventsPath: join(dir, 'events.parquet'),
    batchSqlPath: join(dir, 'features.sql'),
    streamModulePath: join(dir, 'features.skewed.ts'),
    keyColumns: ['user_id'],
    timeColumn: 'ts',
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = diagnose
    ? await replayDiagnosed({ ...options, bisectSample: 50 })
    : await runReplay(options);
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, result };
}

const options = parseArgs(process.argv.slice(2));
const dir = mkdtempSync(join(os.tmpdir(), 'skewcheck-diagnosis-cost-'));
try {
  await generate(dir, options.events);
  const without = [];
  const withDiagnosis = [];
  const cpu = { without: [], with: [] };
  let last;
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? [false, true] : [true, false];
    for (const diagnose of order) {
      const run = await replay(dir, diagnose);
      (diagnose ? withDiagnosis : without).push(run.ms);
      cpu[diagnose ? 'with' : 'without'].push(run.cpuMs);
      if (diagnose) last = run.result;
    }
  }
  const s = last.summary;
  const differing = s.mismatched + s.only_left + s.only_right;
  const a = median(without);
  const b = median(withDiagnosis);
  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  process.stdout.write(
    `machine: ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? '?'}), load ${load}, node ${process.version}\n` +
      `log: ${options.events.toLocaleString('en-US')} events, ${s.windows.toLocaleString('en-US')} (key, window) rows, ` +
      `${differing.toLocaleString('en-US')} differing (${(s.mismatch_rate * 100).toFixed(1)}%)\n` +
      `bare replay and diff:     median ${(a / 1000).toFixed(2)} s of ${without.map((x) => (x / 1000).toFixed(2)).join(', ')}\n` +
      `with diagnosis:           median ${(b / 1000).toFixed(2)} s of ${withDiagnosis.map((x) => (x / 1000).toFixed(2)).join(', ')}\n` +
      `diagnosis adds ${(((b - a) / a) * 100).toFixed(1)}% to the replay's wall time (budget 25%)\n` +
      `CPU time (all threads): ${(median(cpu.without) / 1000).toFixed(2)} s without, ${(median(cpu.with) / 1000).toFixed(2)} s with: ` +
      `+${(((median(cpu.with) - median(cpu.without)) / median(cpu.without)) * 100).toFixed(1)}%\n` +
      `first divergence: ${last.first_divergence ? `${last.first_divergence.events.length} of ${last.first_divergence.sampled} sampled rows bisected` : 'none'}\n` +
      `diagnoses: ${last.diagnoses.map((d) => `${d.code} ${d.tier} ${d.rows}`).join('; ')}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
