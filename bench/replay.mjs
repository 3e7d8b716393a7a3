#!/usr/bin/env node
// Replay benchmark: times the built CLI replaying the fraud features over 1M and 10M generated
// events (wall time, peak RSS), next to DuckDB alone running the batch SQL over the same log.
// Prints numbers; it is not a test and never gates CI.
//
//   npm run build && node bench/replay.mjs [--sizes 1m,10m] [--regenerate]
// See bench/README.md for what each column measures.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { ensureBenchLog, parseSizes } from './generate.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'skewcheck.js');
const BATCH_SQL = join(ROOT, 'samples', 'fraud', 'features.sql');
const STREAM_MODULE = join(ROOT, 'samples', 'fraud', 'features.ts');
const HARNESS_BENCH = join(ROOT, 'bench', 'harness.mjs');
const RSS_POLL_MS = 50;

// Targets from the design notes; printed next to the numbers, never enforced.
const TARGET_EVENTS_PER_S = 2_000_000;
const TARGET_10M_WALL_S = 30;
const TARGET_PEAK_RSS = 2 * 2 ** 30;

function parseArgs(argv) {
  const options = { sizes: ['1m', '10m'], regenerate: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--sizes') options.sizes = parseSizes(argv[++i] ?? '');
    else if (argv[i] === '--regenerate') options.regenerate = true;
    else throw new Error(`unknown option ${argv[i]} (expected --sizes 1m,10m and/or --regenerate)`);
  }
  return options;
}

/** Peak resident set size of a running process, in bytes (Linux: VmHWM in /proc). */
function readPeakRss(pid) {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0; // exited between two polls, or no /proc
  }
}

/** Runs a command to completion, polling its peak RSS. Resolves with code, wall ms, output. */
function runMeasured(command, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakRss = 0;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const poll = () => {
      peakRss = Math.max(peakRss, readPeakRss(child.pid));
    };
    const timer = setInterval(poll, RSS_POLL_MS);
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, wallMs: performance.now() - started, peakRss, stdout, stderr });
    });
  });
}

/** DuckDB alone: the batch SQL over the log, in process, rows streamed and counted. */
async function timeBatchSql(logPath) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const started = performance.now();
    const path = logPath.replaceAll("'", "''");
    await connection.run(`CREATE VIEW events AS SELECT * FROM read_parquet('${path}')`);
    const result = await connection.stream(readFileSync(BATCH_SQL, 'utf8'));
    let rows = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      rows += chunk.rowCount;
    }
    return { ms: performance.now() - started, rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function duckdbVersion() {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll('SELECT version()');
    return String(reader.getRows()[0]?.[0] ?? '?');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function replay(log, scratch) {
  const jsonPath = join(scratch, `result-${log.label}.json`);
  const args = [
    CLI,
    'replay',
    '--events',
    log.out,
    '--batch',
    BATCH_SQL,
    '--stream',
    STREAM_MODULE,
    '--key',
    'user_id',
    '--json',
    jsonPath,
    '--quiet',
  ];
  const run = await runMeasured(process.execPath, args);
  let result = null;
  try {
    result = JSON.parse(readFileSync(jsonPath, 'utf8'));
  } catch {
    // Reported below through the exit code and stderr.
  }
  return { ...run, result };
}

/** bench/harness.mjs on the same log: the harness alone, with a no-op module (M events/s). */
async function harnessRate(logPath) {
  const run = await runMeasured(process.execPath, [HARNESS_BENCH, logPath]);
  const match = /=\s*([\d.]+) M events\/s/.exec(run.stdout);
  if (run.code !== 0 || !match) {
    console.error(`bench/harness.mjs failed (exit ${run.code}): ${run.stderr.trim() || run.stdout.trim()}`);
    return null;
  }
  return Number(match[1]);
}

const seconds = (ms) => (ms === null || ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`);
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const perSecond = (n, ms) => `${(((n / ms) * 1000) / 1e6).toFixed(2)} M/s`;
const count = (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'));

function printTable(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`bench/replay.mjs: ${error.message}`);
    process.exitCode = 2;
    return;
  }
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus.length} cores · ${cpus[0]?.model.trim() ?? 'unknown CPU'} · ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM` +
      ` · ${os.type()} ${os.release()} · Node ${process.version} · DuckDB ${await duckdbVersion()}`,
  );
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );

  const scratch = mkdtempSync(join(os.tmpdir(), 'skewcheck-bench-'));
  const rows = [];
  let failed = false;
  try {
    for (const label of options.sizes) {
      const log = await ensureBenchLog(label, { force: options.regenerate });
      const generated = log.generatorMs === null ? 'reused' : seconds(log.generatorMs);
      console.log(`${label}: ${log.out} (${mib(log.bytes)}, generator: ${generated})`);

      const batch = await timeBatchSql(log.out);
      console.log(
        `${label}: DuckDB alone ran features.sql in ${seconds(batch.ms)} (${count(batch.rows)} rows)`,
      );

      const run = await replay(log, scratch);
      if (run.code !== 0 && run.code !== 1) {
        console.error(`\n${label}: skewcheck replay failed (exit ${run.code ?? run.signal}). Its stderr:`);
        console.error(run.stderr.trimEnd() || '(empty)');
        if (run.stdout.trim()) console.error(`Its stdout:\n${run.stdout.trimEnd()}`);
        process.exitCode = 1;
        return;
      }
      const verdict = run.code === 0 ? 'pass' : 'SKEW';
      if (run.code === 1) {
        // features.ts and features.sql agree by construction: a finding here is a bug.
        failed = true;
        console.error(`${label}: replay reported skew between features.sql and features.ts (unexpected)`);
        if (run.stderr.trim()) console.error(run.stderr.trimEnd());
      }
      console.log(`${label}: replay ${seconds(run.wallMs)}, peak RSS ${mib(run.peakRss)}, ${verdict}`);
      const harness = await harnessRate(log.out);
      console.log(`${label}: harness alone (bench/harness.mjs, no-op module) ${harness ?? '–'} M events/s`);
      rows.push([
        label,
        count(log.events),
        generated,
        seconds(batch.ms),
        count(run.result?.replay?.batch_rows ?? batch.rows),
        seconds(run.wallMs),
        perSecond(log.events, run.wallMs),
        harness === null ? '–' : `${harness.toFixed(2)} M/s`,
        mib(run.peakRss),
        verdict,
      ]);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  console.log('');
  printTable(
    [
      'size',
      'events',
      'generator',
      'SQL alone',
      'windows',
      'replay wall',
      'events/s',
      'harness',
      'peak RSS',
      'verdict',
    ],
    rows,
  );
  console.log(
    `\nreplay wall: end to end, node bin/skewcheck.js replay … --quiet (process start to exit).` +
      `\nevents/s: events / replay wall. harness: bench/harness.mjs, the harness alone with a no-op module.` +
      `\ntargets: harness ≥ ${TARGET_EVENTS_PER_S / 1e6}M events/s; 10M replay ≤ ${TARGET_10M_WALL_S} s;` +
      ` peak RSS ≤ ${mib(TARGET_PEAK_RSS)}.`,
  );
  console.log(
    `load average at end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (failed) process.exitCode = 1;
}

await main();
