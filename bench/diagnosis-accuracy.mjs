#!/usr/bin/env node
// Diagnosis accuracy on the generated corpus (bench/corpus): replays a few hundred seeded cases
// with injected bugs through the built library (dist/) and prints a confusion matrix (true cause
// × top reported cause, split by evidence tier), single-bug top-cause accuracy, the two-bug
// both-found rate and the number of WRONG causes in the `reproduced` tier. Prints numbers; it is
// not a test and never gates CI.
//
//   npm run build && node bench/diagnosis-accuracy.mjs [--seed 7] [--cases 300] [--dir <folder>]
//       [--json <file>] [--only c001,c002] [--verbose] [--root <checkout>] [--scale 1]
//
// --root measures the built library of another checkout (its dist/) on the same corpus. --scale N
// multiplies every log's events and keys by N (scale 10: tens of thousands of differing rows, the
// diagnosis's sampled path).
//
// A diagnosis without a `tier` field (before evidence tiers existed) counts as `reproduced`:
// every named cause then claimed to explain its rows.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planCorpus, writeCorpus } from './corpus/index.mjs';
import { outcomeOf, summarise } from './corpus/score.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function parseArgs(argv) {
  const options = {
    seed: 7,
    cases: 300,
    dir: undefined,
    json: undefined,
    only: undefined,
    verbose: false,
    root: ROOT,
    scale: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--seed') options.seed = Number(argv[++i]);
    else if (flag === '--cases') options.cases = Number(argv[++i]);
    else if (flag === '--dir') options.dir = argv[++i];
    else if (flag === '--json') options.json = argv[++i];
    else if (flag === '--only') options.only = new Set((argv[++i] ?? '').split(','));
    else if (flag === '--verbose') options.verbose = true;
    else if (flag === '--root') options.root = argv[++i];
    else if (flag === '--scale') options.scale = Number(argv[++i]);
    else throw new Error(`unknown option ${flag} (see the header of bench/diagnosis-accuracy.mjs)`);
  }
  if (
    !Number.isSafeInteger(options.seed) ||
    !Number.isSafeInteger(options.cases) ||
    options.cases < 1 ||
    !Number.isSafeInteger(options.scale) ||
    options.scale < 1
  ) {
    throw new Error('--seed, --cases and --scale take whole numbers');
  }
  return options;
}

/** Run one case through the library; returns what the scorer needs. */
async function runCase({ runReplay, diagnoser }, c) {
  try {
    return outcomeOf(
      await runReplay({
        eventsPath: c.eventsPath,
        batchSqlPath: c.batchSqlPath,
        streamModulePath: c.streamModulePath,
        ...c.replay,
        // Older builds diagnose inside runReplay and ignore this; newer ones take the hook.
        inspect: (log) => diagnoser({ log }),
      }),
    );
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error), diagnoses: [] };
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const library = {
    runReplay: (await import(join(options.root, 'dist', 'replay', 'index.js'))).runReplay,
    diagnoser: (await import(join(options.root, 'dist', 'diagnose', 'index.js'))).diagnoser,
  };
  const dir = options.dir ?? join(ROOT, 'bench', 'data', `corpus-${options.seed}`);
  let plans = planCorpus({ seed: options.seed, count: options.cases });
  if (options.only) plans = plans.filter((p) => options.only.has(p.id));
  const cases = await writeCorpus(dir, plans, { seed: options.seed, scale: options.scale });
  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  console.log(
    `diagnosis corpus: seed ${options.seed}, ${cases.length} cases in ${dir}; library ${options.root}/dist`,
  );
  console.log(
    `machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}, load ${load}`,
  );
  const started = performance.now();
  const outcomes = [];
  for (const [i, c] of cases.entries()) {
    const outcome = { ...c, ...(await runCase(library, c)) };
    outcomes.push(outcome);
    if (process.stderr.isTTY) process.stderr.write(`\r  ${i + 1}/${cases.length} cases`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  const seconds = (performance.now() - started) / 1000;
  console.log(summarise(outcomes, { verbose: options.verbose }));
  console.log(
    `\n${cases.length} cases in ${seconds.toFixed(1)} s (${((seconds / cases.length) * 1000).toFixed(0)} ms per case)`,
  );
  if (options.json) writeFileSync(options.json, `${JSON.stringify(outcomes, null, 2)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
}
