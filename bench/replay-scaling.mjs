#!/usr/bin/env node
// Replay scaling: the built CLI replaying the fraud features over 1M, 3M and 10M generated events
// with 1 and 2 replay workers — median wall time and peak RSS of several runs, and whether every
// run's JSON result is byte-identical to the 1-worker run. Prints numbers; never gates CI.
//
//   npm run build && node bench/replay-scaling.mjs [--sizes 1m,3m,10m] [--workers 1,2] [--runs 3]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchLog, parseSizes } from './generate.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'skewcheck.js');

function parseArgs(argv) {
  const options = { sizes: ['1m', '3m', '10m'], workers: [1, 2], runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[++i] ?? '';
    if (argv[i - 1] === '--sizes') options.sizes = parseSizes(value);
    else if (argv[i - 1] === '--workers') options.workers = value.split(',').map(Number);
    else if (argv[i - 1] === '--runs') options.runs = Number(value);
    else throw new Error(`unknown option ${argv[i - 1]} (expected --sizes, --workers, --runs)`);
  }
  return options;
}

function peakRss(pid) {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** One replay: wall ms, peak RSS (VmHWM polled every 50 ms), exit code and the JSON result. */
function replay(log, workers, jsonPath) {
  const args = [CLI, 'replay', '--events', log, '--batch', join(ROOT, 'samples/fraud/features.sql')];
  args.push('--stream', join(ROOT, 'samples/fraud/features.ts'), '--key', 'user_id');
  args.push('--json', jsonPath, '--quiet', '--workers', String(workers));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let rss = 0;
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setInterval(() => {
      rss = Math.max(rss, peakRss(child.pid));
    }, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      let json = '';
      try {
        json = readFileSync(jsonPath, 'utf8');
      } catch {
        // reported through the exit code
      }
      resolve({ code, wallMs: performance.now() - started, rss, stderr, json });
    });
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main() {
  const options = parseArgs(process.argv.slice(2));
  console.log(
    `machine: ${os.availableParallelism()} cores · ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB · Node ${process.version}`,
  );
  console.log(`load average at start: ${load()}`);
  const scratch = mkdtempSync(join(os.tmpdir(), 'skewcheck-scaling-'));
  const rows = [];
  try {
    for (const label of options.sizes) {
      const log = await ensureBenchLog(label);
      let reference;
      for (const workers of options.workers) {
        const runs = [];
        // Alternate nothing here: one configuration's runs back to back, median of them.
        for (let i = 0; i < options.runs; i++)
          runs.push(await replay(log.out, workers, join(scratch, 'r.json')));
        const failed = runs.find((r) => r.code !== 0);
        if (failed) {
          console.error(`${label} × ${workers} workers: exit ${failed.code}\n${failed.stderr}`);
          process.exitCode = 1;
          return;
        }
        reference ??= runs[0].json;
        const identical = runs.every((r) => r.json === reference);
        const wall = median(runs.map((r) => r.wallMs));
        rows.push([
          label,
          workers,
          `${(wall / 1000).toFixed(2)} s`,
          `${(((log.events / wall) * 1000) / 1e6).toFixed(2)} M/s`,
          `${(median(runs.map((r) => r.rss)) / 2 ** 20).toFixed(0)} MiB`,
          identical ? 'yes' : 'NO',
        ]);
        console.log(rows.at(-1).join('  '));
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log('\nsize  workers  median wall  events/s  median peak RSS  same JSON as 1 worker');
  for (const row of rows) console.log(row.join('  '));
  console.log(`load average at end: ${load()}`);
}

await main();
