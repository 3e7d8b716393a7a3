#!/usr/bin/env node
// Benchmark of `skewcheck drift`: two snapshots of 10M rows x 10 numeric features (generated once
// with DuckDB SQL, deterministic, into bench/data/), one run of the built CLI, wall time and peak
// RSS (VmHWM polled from /proc). Then one feature at 5M vs 5M, next to scipy.stats.ks_2samp on the
// same number of values when /usr/bin/python3 has SciPy. Not a test; never gates CI.
//   npm run build && node bench/drift.mjs [--rows 10000000] [--regenerate]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, 'bench', 'data');
const args = process.argv.slice(2);
const rowsFlag = args.indexOf('--rows');
const rows = rowsFlag >= 0 ? Number(args[rowsFlag + 1]) : 10_000_000;
const regenerate = args.includes('--regenerate');
if (!Number.isInteger(rows) || rows < 1000) {
  console.error('--rows must be a whole number >= 1000');
  process.exit(2);
}

if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
mkdirSync(dataDir, { recursive: true });

// Uniform in (0, 1) from row i and stream k (streams < 1024, disjoint between the snapshots).
const u = (k) => `((hash(i * 1024 + ${k}) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`;
const normal = (k) => `(sqrt(-2 * ln(${u(2 * k)})) * cos(2 * pi() * ${u(2 * k + 1)}))`;

/**
 * Ten numeric features: continuous, heavy-tailed, discrete. In prod score_c drifts (+0.5 sd); score_a
 * (+0.03 sd) and score_b (sd x1.2) shift by less than the default effect floor (D < 0.1).
 */
function featureColumns(prod) {
  const s = prod ? 100 : 0;
  return [
    `${normal(s + 0)} * 10 + 50 AS amount_z`,
    `exp(${normal(s + 1)} * 1.2 + 3) AS amount_lognormal`,
    `floor(${u(2 * s + 40)} * 50)::BIGINT AS count_24h`,
    `${normal(s + 3)} + ${prod ? 0.03 : 0} AS score_a`,
    `${u(2 * s + 41)} * 100 AS uniform_pct`,
    `${normal(s + 5)} * ${prod ? 1.2 : 1} AS score_b`,
    `floor(-ln(${u(2 * s + 42)}) * 30)::INTEGER AS days_since`,
    `${normal(s + 7)} * 1000 + 1e6 AS big_offset`,
    `round(${normal(s + 8)}, 1) AS rounded_1dp`,
    `${normal(s + 9)} + ${prod ? 0.5 : 0} AS score_c`,
  ];
}

async function generate(file, sql) {
  if (existsSync(file) && !regenerate) return;
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '4GB' });
  const connection = await instance.connect();
  const started = performance.now();
  await connection.run(`COPY (${sql}) TO '${file.replaceAll("'", "''")}' (FORMAT parquet)`);
  console.log(`generated ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  connection.closeSync();
  instance.closeSync();
}

const trainFile = join(dataDir, `drift-train-${rows}.parquet`);
const prodFile = join(dataDir, `drift-prod-${rows}.parquet`);
await generate(trainFile, `SELECT ${featureColumns(false).join(', ')} FROM range(${rows}) t(i)`);
await generate(prodFile, `SELECT ${featureColumns(true).join(', ')} FROM range(${rows}) t(i)`);
const half = Math.floor(rows / 2);
const oneTrain = join(dataDir, `drift-one-train-${half}.parquet`);
const oneProd = join(dataDir, `drift-one-prod-${half}.parquet`);
await generate(oneTrain, `SELECT ${normal(0)} AS x FROM range(${half}) t(i)`);
await generate(oneProd, `SELECT ${normal(100)} + 0.002 AS x FROM range(${half}) t(i)`);

/** Run the CLI, polling the child's peak resident set size. */
function runCli(cliArgs) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(root, 'bin', 'skewcheck.js'), ...cliArgs], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let peakKb = 0;
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // the process has exited
      }
    }, 50);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ code, seconds: (performance.now() - started) / 1000, peakMb: peakKb / 1024, stderr });
    });
  });
}

const resultFile = join(dataDir, 'drift-result.json');
rmSync(resultFile, { force: true });
console.log(
  `\nmachine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ` +
    `load average ${loadavg()[0].toFixed(2)} before the run`,
);
console.log(
  `skewcheck drift: ${rows.toLocaleString('en-US')} vs ${rows.toLocaleString('en-US')} rows x 10 numeric features`,
);
const full = await runCli(['drift', '--train', trainFile, '--prod', prodFile, '--json', resultFile, '-q']);
if (full.code !== 0 && full.code !== 1) {
  console.error(full.stderr);
  process.exit(1);
}
const result = JSON.parse(readFileSync(resultFile, 'utf8'));
console.log(`  wall ${full.seconds.toFixed(1)} s, peak RSS ${full.peakMb.toFixed(0)} MiB, exit ${full.code}`);
console.log(
  `  drifted: ${result.features
    .filter((f) => f.drift)
    .map((f) => `${f.name} (D=${f.statistic.toPrecision(3)})`)
    .join(', ')}`,
);
console.log(`  target: <= 20 s and <= 2048 MiB`);

console.log(`\none feature, ${half.toLocaleString('en-US')} vs ${half.toLocaleString('en-US')} values:`);
const one = await runCli(['drift', '--train', oneTrain, '--prod', oneProd, '--json', resultFile, '-q']);
const oneResult = JSON.parse(readFileSync(resultFile, 'utf8')).features[0];
console.log(
  `  skewcheck (whole CLI run): ${one.seconds.toFixed(2)} s, peak RSS ${one.peakMb.toFixed(0)} MiB, ` +
    `D=${oneResult.statistic.toPrecision(6)} p=${oneResult.pvalue.toPrecision(6)} (${oneResult.method})`,
);
const python = '/usr/bin/python3';
const script = `
import time, numpy as np
from scipy import stats
rng = np.random.default_rng(0)
x = rng.normal(size=${half}); y = rng.normal(size=${half}) + 0.002
t = time.perf_counter(); r = stats.ks_2samp(x, y); t = time.perf_counter() - t
import scipy; print(f"{t:.2f} {scipy.__version__} {r.statistic:.6g} {r.pvalue:.6g}")
`;
const py = existsSync(python) ? spawnSync(python, ['-c', script], { encoding: 'utf8' }) : null;
if (py && py.status === 0) {
  const [seconds, version, d, p] = py.stdout.trim().split(' ');
  console.log(
    `  scipy.stats.ks_2samp ${version} (in-memory arrays, ks_2samp call only): ${seconds} s  [D=${d} p=${p}]`,
  );
} else {
  console.log('  scipy.stats.ks_2samp: skipped (no /usr/bin/python3 with SciPy)');
}
