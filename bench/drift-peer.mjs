#!/usr/bin/env node
// Drift against its peer, side by side in one run: the built CLI (`skewcheck drift`, whole run,
// Parquet read included) on N vs N rows x F numeric features, next to scipy.stats.ks_2samp on the
// same columns already in memory (Debian's /usr/bin/python3 with python3-scipy), interleaved run by
// run. Then the cases that used to be slow: an identical copy and heavily tied values, next to
// distinct values of the same size. Medians of --runs runs, wall and CPU time (all threads), peak
// RSS; the load average is printed with every block. --json writes the numbers for other scripts.
// Not a test; never gates CI.
//   npm run build && node bench/drift-peer.mjs [--rows 2000000] [--features 5] [--big 10000000]
//        [--runs 3] [--baseline <dir with bin/skewcheck.js>] [--only peer|limits] [--regenerate]
//        [--json <file>]
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, 'bench', 'data');
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const rows = Number(flag('--rows', '2000000'));
const featureCount = Number(flag('--features', '5'));
const bigRows = Number(flag('--big', '10000000'));
const runs = Number(flag('--runs', '3'));
const baseline = flag('--baseline', undefined);
const only = flag('--only', undefined);
const regenerate = args.includes('--regenerate');
const python = '/usr/bin/python3';
const jsonOut = flag('--json', undefined);
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;
/** Everything printed, for --json (the shared bench runner reads it). */
const report = { machine: {}, peer: null, limits: [] };

if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
mkdirSync(dataDir, { recursive: true });

const u = (k) => `((hash(i * 1024 + ${k}) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`;
const normal = (k) => `(sqrt(-2 * ln(${u(2 * k)})) * cos(2 * pi() * ${u(2 * k + 1)}))`;

async function withDuck(fn) {
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '4GB' });
  const connection = await instance.connect();
  try {
    return await fn(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function generate(file, sql) {
  if (existsSync(file) && !regenerate) return;
  await withDuck((c) => c.run(`COPY (${sql}) TO '${file.replaceAll("'", "''")}' (FORMAT parquet)`));
}

/** The columns of a Parquet file as raw little-endian float64 files, for numpy.fromfile. */
async function exportRaw(file, names) {
  const out = names.map((n) => `${file}.${n}.f64`);
  if (out.every((f) => existsSync(f)) && !regenerate) return out;
  await withDuck(async (c) => {
    const reader = await c.runAndReadAll(
      `SELECT ${names.map((n) => `CAST("${n}" AS DOUBLE)`).join(', ')} FROM read_parquet('${file}')`,
    );
    reader.getColumns().forEach((values, i) => {
      writeFileSync(out[i], Buffer.from(Float64Array.from(values).buffer));
    });
  });
  return out;
}

function runCli(bin, cliArgs) {
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, ...cliArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
    let peakKb = 0;
    let cpuTicks = 0;
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
        // utime + stime of all the process's threads (fields 14 and 15), in clock ticks.
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        cpuTicks = Math.max(cpuTicks, Number(stat[11]) + Number(stat[12]));
      } catch {
        // exited
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code !== 0 && code !== 1) {
        console.error(stderr);
        process.exit(1);
      }
      done({
        seconds: (performance.now() - started) / 1000,
        peakMb: peakKb / 1024,
        cpu: cpuTicks / CLOCK_TICKS,
      });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () =>
  `load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`;

const sides = [['this tree', join(root, 'bin', 'skewcheck.js')]];
if (baseline) sides.push(['baseline', join(resolve(baseline), 'bin', 'skewcheck.js')]);

/** Median wall time and peak RSS of each CLI build over `runs` interleaved runs. */
async function timeCli(cliArgs) {
  const seen = sides.map(() => ({ s: [], mb: [], cpu: [] }));
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < sides.length; i++) {
      const run = await runCli(sides[i][1], cliArgs);
      seen[i].s.push(run.seconds);
      seen[i].mb.push(run.peakMb);
      seen[i].cpu.push(run.cpu);
    }
  }
  return seen.map((x, i) => ({
    name: sides[i][0],
    seconds: median(x.s),
    cpuSeconds: median(x.cpu),
    peakMb: Math.max(...x.mb),
    all: x.s,
  }));
}

function printCli(label, results) {
  if (label !== 'skewcheck drift, whole run')
    report.limits.push({ case: label, load: loadavg()[0], results });
  for (const r of results) {
    console.log(
      `  ${label} [${r.name}]: median ${r.seconds.toFixed(2)} s (${r.all.map((s) => s.toFixed(2)).join(', ')}), ` +
        `CPU ${r.cpuSeconds.toFixed(2)} s, peak RSS ${r.peakMb.toFixed(0)} MiB`,
    );
  }
}

report.machine = { cores: cpus().length, memoryGiB: totalmem() / 2 ** 30, node: process.version, runs };
console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `Node ${process.version}; ${runs} runs per case; ${load()}`,
);

if (only !== 'limits') {
  const names = Array.from({ length: featureCount }, (_, k) => `f${k}`);
  const cols = (prod) =>
    names.map((n, k) => `${normal((prod ? 100 : 0) + k)} * ${1 + k} + ${prod && k === 0 ? 0.05 : 0} AS ${n}`);
  const train = join(dataDir, `peer-train-${rows}x${featureCount}.parquet`);
  const prod = join(dataDir, `peer-prod-${rows}x${featureCount}.parquet`);
  await generate(train, `SELECT ${cols(false).join(', ')} FROM range(${rows}) t(i)`);
  await generate(prod, `SELECT ${cols(true).join(', ')} FROM range(${rows}) t(i)`);
  const rawTrain = await exportRaw(train, names);
  const rawProd = await exportRaw(prod, names);
  console.log(
    `\n${rows.toLocaleString('en-US')} vs ${rows.toLocaleString('en-US')} rows x ${featureCount} numeric features (${load()})`,
  );
  const cliArgs = ['drift', '--train', train, '--prod', prod, '-q', '--json', join(dataDir, 'peer.json')];
  const hasPython = existsSync(python);
  // Interleaved: each run times the CLI(s), then scipy, so both see the same load.
  const seen = { cli: sides.map(() => []), scipy: [], version: null };
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < sides.length; i++) seen.cli[i].push(await runCli(sides[i][1], cliArgs));
    if (hasPython) {
      const run = timeScipy([...rawTrain, ...rawProd]);
      if (!run) break;
      seen.scipy.push(run);
      seen.version = run.version;
    }
  }
  const cli = seen.cli.map((xs, i) => ({
    name: sides[i][0],
    seconds: median(xs.map((x) => x.seconds)),
    cpuSeconds: median(xs.map((x) => x.cpu)),
    peakMb: Math.max(...xs.map((x) => x.peakMb)),
    all: xs.map((x) => x.seconds),
  }));
  printCli('skewcheck drift, whole run', cli);
  report.peer = { rows, features: featureCount, load: loadavg()[0], cli, scipy: null };
  if (seen.scipy.length > 0) {
    const times = seen.scipy.map((x) => x.seconds);
    const m = median(times);
    const cpu = median(seen.scipy.map((x) => x.cpu));
    console.log(
      `  scipy.stats.ks_2samp ${seen.version}, columns already in memory (ks_2samp calls only): median ${m.toFixed(2)} s ` +
        `(${times.map((t) => t.toFixed(2)).join(', ')}), CPU ${cpu.toFixed(2)} s`,
    );
    report.peer.scipy = { version: seen.version, seconds: m, cpuSeconds: cpu, all: times };
    for (const [i, r] of cli.entries()) {
      const perRun = median(seen.scipy.map((x, k) => x.seconds / seen.cli[i][k].seconds));
      console.log(
        `  ratio scipy / skewcheck [${r.name}]: ${(m / r.seconds).toFixed(2)}x (median of per-run ratios ${perRun.toFixed(2)}x; ` +
          `CPU time ${(cpu / r.cpuSeconds).toFixed(2)}x) (${load()})`,
      );
      r.ratio = m / r.seconds;
    }
  } else console.log(`  scipy: skipped (${hasPython ? 'failed' : 'no /usr/bin/python3'})`);
}

/** One run of scipy.stats.ks_2samp over every column pair, timed around the calls only. */
function timeScipy(files) {
  const script = `
import sys, time, numpy as np
from scipy import stats
import scipy
files = sys.argv[1:]
half = len(files) // 2
cols = [(np.fromfile(files[i]), np.fromfile(files[half + i])) for i in range(half)]
c = time.process_time()
t = time.perf_counter()
for x, y in cols: stats.ks_2samp(x, y)
print(scipy.__version__, f"{time.perf_counter() - t:.3f}", f"{time.process_time() - c:.3f}")
`;
  const py = spawnSync(python, ['-c', script, ...files], { encoding: 'utf8' });
  if (py.status !== 0) {
    console.log(`  scipy: failed\n${py.stderr}`);
    return null;
  }
  const [version, seconds, cpu] = py.stdout.trim().split(' ');
  return { version, seconds: Number(seconds), cpu: Number(cpu) };
}

if (only !== 'peer') {
  const distinct = join(dataDir, `limit-distinct-${bigRows}.parquet`);
  const copy = join(dataDir, `limit-distinct-${bigRows}-copy.parquet`);
  const tiedTrain = join(dataDir, `limit-tied-train-${bigRows}.parquet`);
  const tiedProd = join(dataDir, `limit-tied-prod-${bigRows}.parquet`);
  const distinctProd = join(dataDir, `limit-distinct-prod-${bigRows}.parquet`);
  await generate(distinct, `SELECT ${normal(0)} AS x FROM range(${bigRows}) t(i)`);
  await generate(distinctProd, `SELECT ${normal(100)} AS x FROM range(${bigRows}) t(i)`);
  if (!existsSync(copy) || regenerate) copyFileSync(distinct, copy);
  await generate(tiedTrain, `SELECT floor(${u(7)} * 20)::DOUBLE AS x FROM range(${bigRows}) t(i)`);
  await generate(tiedProd, `SELECT floor(${u(207)} * 20)::DOUBLE AS x FROM range(${bigRows}) t(i)`);
  const out = join(dataDir, 'limit.json');
  const n = bigRows.toLocaleString('en-US');
  console.log(`\none feature, ${n} vs ${n} rows (${load()})`);
  printCli(
    'distinct values, independent samples',
    await timeCli(['drift', '--train', distinct, '--prod', distinctProd, '-q', '--json', out]),
  );
  printCli(
    'identical copy',
    await timeCli(['drift', '--train', distinct, '--prod', copy, '-q', '--json', out]),
  );
  printCli(
    '20 distinct values (ties)',
    await timeCli(['drift', '--train', tiedTrain, '--prod', tiedProd, '-q', '--json', out]),
  );
  console.log(`  target: identical copy <= 3 s and <= 1024 MiB (${load()})`);
  rmSync(out, { force: true });
}
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(report, null, 2)}\n`);
