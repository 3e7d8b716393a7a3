#!/usr/bin/env node
// `npm run bench`: skewcheck next to its peers, in one run on one machine, and replay's scaling.
//   1. replay vs pandas/Python (groupby for the batch features, a per-event loop for the stream,
//      an outer join to diff) on the 1M-event fraud benchmark log — the peer's CSV load left out;
//   2. drift vs scipy.stats.ks_2samp on 2M vs 2M rows x 5 numeric features already in memory;
//   3. replay end to end at 1M, 3M and 10M events with 1 and 2 workers (`--workers`; a build
//      without it gets the 1-worker column only).
// Medians of --runs runs; prints the machine and the load average with every block. Not a test;
// never gates CI. Python is Debian's /usr/bin/python3 with python3-pandas and python3-scipy,
// installed with apt-get when missing.
//
//   npm run build && npm run bench -- [--sizes 1m,3m,10m] [--peer-sizes 1m] [--drift-rows 2000000]
//                                      [--runs 3] [--skip-peers]
//   quick: npm run bench -- --sizes 1m --drift-rows 200000 --runs 1
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { DATA_DIR, ensureBenchLog, parseSizes } from './generate.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'skewcheck.js');
const FRAUD = join(ROOT, 'samples', 'fraud');
const PYTHON = '/usr/bin/python3';
const DRIFT_FEATURES = 5;
const USAGE = '--sizes 1m,3m,10m, --peer-sizes 1m, --drift-rows 2000000, --runs 3, --skip-peers';

function parseArgs(argv) {
  const options = {
    peerSizes: ['1m'],
    scaling: ['1m', '3m', '10m'],
    driftRows: 2_000_000,
    runs: 3,
    peers: true,
  };
  const positive = (text, name) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1, got "${text}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--peer-sizes') options.peerSizes = parseSizes(argv[++i] ?? '');
    else if (argv[i] === '--sizes' || argv[i] === '--scaling') options.scaling = parseSizes(argv[++i] ?? '');
    else if (argv[i] === '--drift-rows') options.driftRows = positive(argv[++i] ?? '', '--drift-rows');
    else if (argv[i] === '--runs') options.runs = positive(argv[++i] ?? '', '--runs');
    else if (argv[i] === '--skip-peers') options.peers = false;
    else throw new Error(`unknown option ${argv[i]} (${USAGE})`);
  }
  return options;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** `runs` runs of `once`, one after the other; the run of median wall time, with every time. */
async function medianRun(runs, once) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await once());
  const m = median(all.map((r) => r.seconds));
  return { ...all.find((r) => r.seconds === m), times: all.map((r) => r.seconds) };
}

/** Runs a command to completion; wall time, and peak RSS from /proc's VmHWM polled every 50 ms. */
function runMeasured(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      try {
        const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // exited between two polls
      }
    }, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({
        code,
        seconds: (performance.now() - started) / 1000,
        peakMiB: peakKb / 1024,
        stdout,
        stderr,
      });
    });
  });
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const s = (x) => `${x.toFixed(2)} s`;
const spread = (run) => (run.times.length > 1 ? ` (${run.times.map((t) => t.toFixed(1)).join(', ')})` : '');
const ratio = (peer, ours) => `${(peer / ours).toFixed(1)}x`;

function printTable(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** Debian's Python with pandas and SciPy; installs python3-pandas/python3-scipy when missing. */
function ensurePython() {
  const probe = () =>
    existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import pandas, scipy'], { stdio: 'ignore' }).status === 0;
  if (probe()) return true;
  console.log('installing python3-pandas and python3-scipy with apt-get (non-interactive)…');
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['apt-get', 'update', '-q'],
    ['apt-get', 'install', '-y', '-q', 'python3-pandas', 'python3-scipy'],
  ]) {
    const [cmd, ...rest] = [...asRoot, ...args];
    const run = spawnSync(cmd, rest, { stdio: 'inherit', env });
    if (run.status !== 0) break;
  }
  if (probe()) return true;
  console.log('  could not install them (needs root or passwordless sudo): the peer comparison is skipped');
  return false;
}

async function withDuckDB(work) {
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '4GB' });
  const connection = await instance.connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const literal = (path) => `'${path.replaceAll("'", "''")}'`;

/** A CSV copy of a Parquet file for the Python peers, kept beside it; rewritten when older. */
async function csvCopy(parquet) {
  const csv = parquet.replace(/\.parquet$/, '.csv');
  if (!existsSync(csv) || statSync(csv).mtimeMs < statSync(parquet).mtimeMs) {
    await withDuckDB((c) =>
      c.run(`COPY (SELECT * FROM read_parquet(${literal(parquet)})) TO ${literal(csv)} (HEADER)`),
    );
  }
  return csv;
}

async function replayOnce(log, scratch, workers) {
  const json = join(scratch, `replay-${log.label}-${workers ?? 1}.json`);
  const args = [CLI, 'replay', '--events', log.out, '--batch', join(FRAUD, 'features.sql')];
  args.push('--stream', join(FRAUD, 'features.ts'), '--key', 'user_id', '--json', json, '--quiet');
  if (workers !== undefined) args.push('--workers', String(workers));
  const run = await runMeasured(process.execPath, args);
  if (run.code !== 0)
    throw new Error(`skewcheck replay ${log.label} exited ${run.code}: ${run.stderr.trim()}`);
  return { ...run, result: JSON.parse(readFileSync(json, 'utf8')) };
}

async function replayPeers(sizes, runs, scratch) {
  console.log(
    '\n## replay vs pandas/Python (groupby + per-event loop + outer-join diff; CSV load left out)\n',
  );
  console.log(`skewcheck runs with its default --workers; load average: ${load()}`);
  const rows = [];
  for (const label of sizes) {
    const log = await ensureBenchLog(label);
    const csv = await csvCopy(log.out);
    // Side by side: skewcheck then the peer, `runs` times; medians of each.
    const oursRuns = [];
    const peerRuns = [];
    for (let i = 0; i < runs; i++) {
      oursRuns.push(await replayOnce(log, scratch));
      const peer = await runMeasured(PYTHON, [join(ROOT, 'bench', 'peers', 'replay_peer.py'), csv]);
      if (peer.code !== 0) throw new Error(`replay_peer.py failed: ${peer.stderr.trim()}`);
      const parsed = JSON.parse(peer.stdout);
      peerRuns.push({ ...peer, p: parsed, seconds: parsed.compute_s });
    }
    const ours = await medianRun(runs, async () => oursRuns.shift());
    const peerMedian = await medianRun(runs, async () => peerRuns.shift());
    const peer = peerMedian;
    const p = peerMedian.p;
    if (p.windows !== ours.result.summary.windows || p.differing !== 0) {
      console.log(
        `  warning: the peer found ${p.windows} windows (${p.differing} differing), skewcheck ${ours.result.summary.windows}`,
      );
    }
    rows.push([
      label,
      p.events.toLocaleString('en-US'),
      `${s(ours.seconds)}${spread(ours)}`,
      `${ours.peakMiB.toFixed(0)} MiB`,
      `${s(p.compute_s)}${spread(peer)}`,
      `${peer.peakMiB.toFixed(0)} MiB`,
      s(p.load_s),
      ratio(p.compute_s, ours.seconds),
    ]);
    console.log(`  ${label} done (load average ${load()})`);
  }
  printTable(
    [
      'events',
      'n',
      'skewcheck (whole CLI run)',
      'peak RSS',
      'pandas/Python',
      'peak RSS',
      '(CSV load)',
      'peer ÷ skewcheck',
    ],
    rows,
  );
}

/** N vs N rows x 5 numeric features, deterministic (hash-based draws, as bench/drift.mjs). */
async function driftSnapshots(rowCount) {
  const u = (k) => `((hash(i * 1024 + ${k}) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`;
  const normal = (k) => `(sqrt(-2 * ln(${u(2 * k)})) * cos(2 * pi() * ${u(2 * k + 1)}))`;
  const columns = (prod) => {
    const o = prod ? 100 : 0;
    return [
      `${normal(o)} * 10 + 50 AS amount_z`,
      `exp(${normal(o + 1)} * 1.2 + 3) AS amount_lognormal`,
      `floor(${u(2 * o + 40)} * 50)::BIGINT AS count_24h`,
      `${normal(o + 3)} + ${prod ? 0.5 : 0} AS score_shifted`,
      `round(${normal(o + 4)}, 1) AS rounded_1dp`,
    ];
  };
  const files = {};
  for (const side of ['train', 'prod']) {
    const file = join(DATA_DIR, `peers-drift-${side}-${rowCount}.parquet`);
    if (!existsSync(file)) {
      const sql = `SELECT ${columns(side === 'prod').join(', ')} FROM range(${rowCount}) t(i)`;
      await withDuckDB((c) => c.run(`COPY (${sql}) TO ${literal(file)} (FORMAT parquet)`));
    }
    files[side] = file;
  }
  return files;
}

async function driftPeer(rowCount, runs, scratch) {
  const n = rowCount.toLocaleString('en-US');
  console.log(
    `\n## drift vs scipy.stats.ks_2samp (${n} vs ${n} rows x ${DRIFT_FEATURES} numeric features)\n`,
  );
  const files = await driftSnapshots(rowCount);
  const csv = { train: await csvCopy(files.train), prod: await csvCopy(files.prod) };
  console.log(`load average: ${load()}`);
  const json = join(scratch, 'drift.json');
  const oursRuns = [];
  const peerRuns = [];
  for (let i = 0; i < runs; i++) {
    const run = await runMeasured(
      process.execPath,
      [CLI, 'drift', '--train', files.train, '--prod', files.prod].concat(['--json', json, '-q']),
    );
    if (run.code !== 0 && run.code !== 1)
      throw new Error(`skewcheck drift exited ${run.code}: ${run.stderr.trim()}`);
    oursRuns.push(run);
    const peer = await runMeasured(PYTHON, [
      join(ROOT, 'bench', 'peers', 'drift_peer.py'),
      csv.train,
      csv.prod,
    ]);
    if (peer.code !== 0) throw new Error(`drift_peer.py failed: ${peer.stderr.trim()}`);
    const parsed = JSON.parse(peer.stdout);
    peerRuns.push({ ...peer, p: parsed, seconds: parsed.compute_s });
  }
  const ours = await medianRun(runs, async () => oursRuns.shift());
  const peer = await medianRun(runs, async () => peerRuns.shift());
  const result = JSON.parse(readFileSync(json, 'utf8'));
  const p = peer.p;
  const worst = Math.max(...result.features.map((f) => Math.abs(f.statistic - p.statistics[f.name])));
  printTable(
    [
      'skewcheck drift (whole CLI run, Parquet read)',
      'peak RSS',
      `ks_2samp x ${DRIFT_FEATURES} (in memory)`,
      '(CSV load)',
      'peer ÷ skewcheck',
    ],
    [
      [
        `${s(ours.seconds)}${spread(ours)}`,
        `${ours.peakMiB.toFixed(0)} MiB`,
        `${s(p.compute_s)}${spread(peer)}`,
        s(p.load_s),
        ratio(p.compute_s, ours.seconds),
      ],
    ],
  );
  console.log(`largest |D(skewcheck) - D(scipy ${p.scipy})| over the features: ${worst.toExponential(1)}`);
}

async function scaling(sizes, runs, scratch) {
  const help = spawnSync(process.execPath, [CLI, 'replay', '--help'], { encoding: 'utf8' }).stdout;
  const parallel = /--workers\b/.test(help);
  console.log('\n## replay scaling (whole CLI run, fraud features)\n');
  console.log(`load average: ${load()}`);
  if (!parallel)
    console.log('this build has no `replay --workers`: 1 worker only (parallel replay has not landed)\n');
  const workers = parallel ? [1, 2] : [undefined];
  const rows = [];
  for (const label of sizes) {
    const log = await ensureBenchLog(label);
    const byWorkers = [];
    for (const w of workers) byWorkers.push(await medianRun(runs, () => replayOnce(log, scratch, w)));
    byWorkers.forEach((run, i) => {
      rows.push([
        label,
        workers[i] ?? 1,
        `${s(run.seconds)}${spread(run)}`,
        `${run.peakMiB.toFixed(0)} MiB`,
        `${(log.events / run.seconds / 1e6).toFixed(2)} M/s`,
        i === 0 ? '1.00x' : ratio(byWorkers[0].seconds, run.seconds),
      ]);
    });
    console.log(`  ${label} done (load average ${load()})`);
  }
  printTable(['events', 'workers', 'wall (median)', 'peak RSS', 'events/s', 'vs 1 worker'], rows);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus.length} cores · ${cpus[0]?.model.trim() ?? '?'} · ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB · Node ${process.version}`,
  );
  console.log(`load average at start: ${load()}`);
  const scratch = mkdtempSync(join(os.tmpdir(), 'skewcheck-peers-'));
  try {
    console.log(`runs per measurement: ${options.runs} (median shown; every run's time in brackets)`);
    if (options.peers && ensurePython()) {
      await replayPeers(options.peerSizes, options.runs, scratch);
      await driftPeer(options.driftRows, options.runs, scratch);
    }
    await scaling(options.scaling, options.runs, scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`\nload average at the end: ${load()}`);
}

main().catch((error) => {
  console.error(`bench/peers.mjs: ${error.message}`);
  process.exitCode = 1;
});
