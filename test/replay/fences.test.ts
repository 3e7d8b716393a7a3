// User code is fenced: the streaming module runs in a worker thread the CLI watches. A hang, a
// runaway window definition, a heap that grows without bound, a top-level await that never
// settles, a left-over timer, process.exit() and console.log each end in a clear message (or
// do no harm), never a hang, V8's OOM report or a silent exit 0. Runs the built CLI.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultWorkers, PARALLEL_MIN_EVENTS } from '../../src/replay/run-stream.js';
import { FRAUD, skewcheck, tempDir } from '../e2e/cli.js';

let dir: string;
let events: string;
let sqlPath: string;

const FEATURE = (body: string, extra = '') => `${extra}
export default {
  key: (e) => e.u,
  window: { kind: 'tumbling', sizeMs: 300000, offsetMs: 0 },
  init: () => ({ n: 0 }),
  ${body}
  emit: (acc) => ({ n: acc.n }),
};
`;

function module(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

function replay(stream: string, ...extra: string[]) {
  return skewcheck([
    'replay',
    '--events',
    events,
    '--batch',
    sqlPath,
    '--stream',
    stream,
    '--key',
    'u',
    ...extra,
  ]);
}

function expectCleanError(run: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/internal error|FATAL ERROR|Last few GCs|\n\s+at .*node:internal/);
}

beforeAll(async () => {
  dir = tempDir();
  events = join(dir, 'events.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  await connection.run(
    `COPY (SELECT 'u' || (i % 7) AS u, TIMESTAMP '2026-01-01' + to_seconds(i * 37) AS ts, i AS amount
           FROM range(300) t(i)) TO '${events}'`,
  );
  connection.closeSync();
  db.closeSync();
  sqlPath = join(dir, 'features.sql');
  writeFileSync(
    sqlPath,
    `SELECT u, time_bucket(INTERVAL 5 minute, ts) AS window_start,
            time_bucket(INTERVAL 5 minute, ts) + INTERVAL 5 minute AS window_end, count(*)::DOUBLE AS n
     FROM events GROUP BY ALL`,
  );
});

describe('a streaming module runs fenced', () => {
  it('agrees when nothing is wrong (the fixture itself is sound)', () => {
    const run = replay(module('ok.mjs', FEATURE('add: (acc) => { acc.n++; },')));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('an endless loop in add() hits --timeout, naming the call and the event', () => {
    const run = replay(
      module('loop.mjs', FEATURE('add: (acc, e) => { acc.n++; if (Number(e.amount) === 40) for (;;) {} },')),
      '--timeout',
      '1s',
    );
    expectCleanError(run, /add\(\) did not return within 1 s \(--timeout\)/);
    expect(run.stderr).toMatch(
      /at event #41 in replay order, key \{"u":"u5"\}, time 2026-01-01T00:24:40\.000Z/,
    );
    expect(run.stderr).toMatch(/"amount":"40"/);
  }, 120_000);

  it('refuses a window that opens millions of windows per event before reading a row', () => {
    const run = replay(
      module(
        'hopping.ts',
        `import { hopping } from 'skewcheck';\n${FEATURE('add: (acc) => { acc.n++; },').replace("{ kind: 'tumbling', sizeMs: 300000, offsetMs: 0 }", "hopping('30d', '1s')")}`,
      ),
    );
    expectCleanError(run, /put each event in 2,592,000 windows; at most 10,000 are supported/);
    expect(run.stderr).toMatch(/\(run with --help for usage\)/);
  });

  it('a heap that grows without bound fails with a message at the ceiling, not V8’s report', () => {
    const run = replay(
      module(
        'hog.mjs',
        FEATURE(
          'add: (acc) => { acc.n++; for (let i = 0; i < 1e6; i++) hoard.push({ i }); },',
          'const hoard = [];',
        ),
      ),
      '--memory-limit',
      '48',
      '--timeout',
      '2m',
    );
    expectCleanError(
      run,
      /ran out of memory in (add|init|key)\(\): the replay worker's heap passed its ceiling of 48 MiB \(--memory-limit\)/,
    );
  });

  it('a top-level await that never settles is a clear error', () => {
    const run = replay(
      module('tla.mjs', `await new Promise(() => {});\n${FEATURE('add: (acc) => { acc.n++; },')}`),
    );
    expectCleanError(run, /did not finish loading: its top-level code awaits a promise that never settles/);
  });

  it('a setInterval left by the module does not keep the process alive', () => {
    const started = Date.now();
    const run = replay(
      module('timer.mjs', `setInterval(() => {}, 1000);\n${FEATURE('add: (acc) => { acc.n++; },')}`),
    );
    expect(run.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('process.exit() in the module is an error, not a silent exit 0', () => {
    const run = replay(
      module(
        'exit.mjs',
        FEATURE('add: (acc, e) => { acc.n++; if (Number(e.amount) === 9) process.exit(0); },'),
      ),
    );
    expectCleanError(
      run,
      /threw in add\(\): called process\.exit\(0\); a streaming module must not end the process, at event #10/,
    );
  });

  it("the module's console.log goes to stderr, so --json - stays valid", () => {
    const run = replay(
      module('chatty.mjs', FEATURE('add: (acc) => { acc.n++; console.log("hello from add"); },')),
      '--json',
      '-',
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).verdict).toBe('pass');
    expect(run.stderr).toMatch(/hello from add/);
  });

  it('accepts a CommonJS module (module.exports = …)', () => {
    const source = `const { defineStreamingFeature, tumbling } = require('skewcheck');
module.exports = defineStreamingFeature({
  key: (e) => e.u, window: tumbling('5m'), init: () => ({ n: 0 }),
  add: (acc) => { acc.n++; }, emit: (acc) => ({ n: acc.n }),
});`;
    const run = replay(module('cjs.cjs', source));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('parallel replay', () => {
  it('gives byte-identical results on 1, 2 and 3 workers (and when the key is not the key column)', () => {
    const base = [
      'replay',
      '--events',
      join(FRAUD, 'events.parquet'),
      '--batch',
      join(FRAUD, 'features.sql'),
    ];
    const stream = join(FRAUD, 'features.skewed.ts');
    const mismatches = join(dir, 'mismatches.csv');
    const runs = ['1', '2', '3'].map((w) => {
      const run = skewcheck([
        ...base,
        ...['--stream', stream, '--key', 'user_id', '--json', '-', '--workers', w],
        ...['--mismatches', mismatches],
      ]);
      return { json: run.stdout, rows: readFileSync(mismatches, 'utf8') };
    });
    expect(JSON.parse(runs[0]!.json).verdict).toBe('fail');
    expect(runs[0]!.rows.split('\n').length).toBeGreaterThan(10);
    for (const run of runs.slice(1)) {
      expect(run.json).toBe(runs[0]!.json);
      expect(run.rows).toBe(runs[0]!.rows);
    }
  }, 240_000);

  it('falls back to one worker when the key function is not the key column', () => {
    const stream = module(
      'rekey.mjs',
      FEATURE('add: (acc) => { acc.n++; },').replace(
        'key: (e) => e.u',
        "key: (e) => (Number(e.amount) % 2 ? 'odd' : 'even')",
      ),
    );
    const one = replay(stream, '--workers', '1', '--json', '-');
    const two = replay(stream, '--workers', '2', '--json', '-');
    expect(one.code).toBe(1);
    expect(two.stdout).toBe(one.stdout);
  }, 120_000);
});

describe('the default number of workers', () => {
  it('is one below PARALLEL_MIN_EVENTS, else one per core but one (kept for the batch SQL), at most 8', () => {
    expect(defaultWorkers(PARALLEL_MIN_EVENTS - 1, 16)).toBe(1);
    expect(defaultWorkers(PARALLEL_MIN_EVENTS, 2)).toBe(1);
    expect(defaultWorkers(PARALLEL_MIN_EVENTS, 4)).toBe(3);
    expect(defaultWorkers(PARALLEL_MIN_EVENTS, 1)).toBe(1);
    expect(defaultWorkers(10 * PARALLEL_MIN_EVENTS, 64)).toBe(8);
  });
});
