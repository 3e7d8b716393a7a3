// `--shard i/N` and `skewcheck merge`: four shards merged give the unsharded result, for replay
// and for diff, through the CLI and the library; empty shards; and merges that cannot be right
// refused with exit 2. The first-divergence bisection is off (a per-run sample, and slow).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DiffResult, diff, merge } from '../../src/index.js';
import { FRAUD, ROOT, skewcheck, tempDir } from './cli.js';

const SHARDS = 4;
let dir: string;

const REPLAY = [
  'replay',
  '--events',
  join(FRAUD, 'events.parquet'),
  '--batch',
  join(FRAUD, 'features.sql'),
  '--stream',
  join(FRAUD, 'features.skewed.ts'),
  '--key',
  'user_id',
  '--bisect-sample',
  '0',
];
const DIFF = () => [
  'diff',
  '--left',
  `${dir}/offline.parquet`,
  '--right',
  `${dir}/online.parquet`,
  '--key',
  'user_id',
];

// An offline dump (the batch SQL over the sample) and an online copy with skew spread over many
// keys: changed values, missing windows, duplicated windows. And a three-key pair for empty shards.
beforeAll(async () => {
  dir = tempDir();
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`CREATE VIEW events AS SELECT * FROM read_parquet('${join(FRAUD, 'events.parquet')}')`);
  await c.run(`CREATE TABLE offline AS SELECT user_id, time_bucket(INTERVAL 5 MINUTE, ts) AS window_start,
      count(*) AS txn_count_5m, sum(amount)::DOUBLE AS total_spent_5m FROM events
      WHERE user_id < 'u000150' GROUP BY ALL`);
  await c.run(`COPY offline TO '${dir}/offline.parquet'`);
  await c.run(`COPY (
      WITH ranked AS (SELECT *, row_number() OVER (ORDER BY user_id, window_start) AS i FROM offline)
      SELECT user_id, window_start,
        CASE WHEN i % 7 = 0 THEN txn_count_5m + 1 ELSE txn_count_5m END AS txn_count_5m,
        CASE WHEN i % 17 = 0 THEN NULL ELSE total_spent_5m END AS total_spent_5m
      FROM ranked WHERE i % 11 <> 0
      UNION ALL SELECT user_id, window_start, txn_count_5m, total_spent_5m FROM ranked WHERE i % 301 = 0
    ) TO '${dir}/online.parquet'`);
  await c.run(`COPY (SELECT * FROM offline WHERE user_id IN ('u000001', 'u000002', 'u000003'))
      TO '${dir}/few-left.parquet'`);
  await c.run(`COPY (SELECT user_id, window_start, txn_count_5m + (user_id = 'u000002')::INT AS txn_count_5m,
      total_spent_5m FROM offline WHERE user_id IN ('u000001', 'u000002', 'u000003')) TO '${dir}/few-right.parquet'`);
  c.closeSync();
  db.closeSync();
  // Every event without a time: nothing to replay in any shard.
  writeFileSync(join(dir, 'no-time.csv'), 'user_id,ts,amount\nu1,,1\nu2,,2\nu3,,3\nu4,,4\n');
  writeFileSync(
    join(dir, 'no-time.sql'),
    'SELECT user_id, ts AS window_start, sum(amount) AS spent FROM events WHERE ts IS NOT NULL GROUP BY ALL',
  );
  writeFileSync(
    join(dir, 'no-time.mjs'),
    `export default { key: (e) => e.user_id, window: { kind: 'tumbling', sizeMs: 60000, offsetMs: 0 }, init: () => 0, add: (a, e) => a + e.amount, emit: (a) => ({ spent: a }) };\n`,
  );
});

/** Runs `args` unsharded and as SHARDS shards merged with the CLI; returns the parsed results. */
function unshardedAndMerged(name: string, args: string[]) {
  const whole = skewcheck([...args, '--json', join(dir, `${name}.json`), '--quiet']);
  const files = Array.from({ length: SHARDS }, (_, i) => join(dir, `${name}-${i}.json`));
  files.forEach((file, i) => {
    const run = skewcheck([...args, '--shard', `${i}/${SHARDS}`, '--json', file, '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(whole.code);
  });
  const merged = skewcheck(['merge', ...[...files].reverse(), '--json', '-']);
  expect(merged.code).toBe(whole.code);
  return {
    whole: JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as DiffResult,
    shards: files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as DiffResult),
    merged: JSON.parse(merged.stdout) as DiffResult,
    files,
  };
}

/**
 * Everything but what a sharded run records about itself or may legitimately differ in
 * (docs/sharding.md): which cause gets a row *within* a tier (checks that decide on a statistic
 * decide per shard), the scatter's sampled points, and one process's peak of open windows.
 */
function comparable(result: DiffResult) {
  const {
    merged_from: _m,
    shard: _s,
    diagnoses,
    first_divergence: _f,
    plots,
    replay: stats,
    ...rest
  } = result;
  const { max_open_windows: _w, ...replayRest } = stats ?? ({} as Record<string, unknown>);
  const rowsPerTier: Record<string, number> = {};
  for (const d of diagnoses ?? []) rowsPerTier[d.tier] = (rowsPerTier[d.tier] ?? 0) + d.rows;
  return {
    ...rest,
    replay: replayRest,
    rowsPerTier,
    timeline: plots?.timeline,
    scatter: plots?.scatter.map((s) => [s.feature, s.rows, s.mismatches]),
  };
}

const causes = (r: DiffResult) => (r.diagnoses ?? []).map((d) => [d.code, d.tier, d.rows, d.reproduced_rows]);

describe('sharded runs merged', () => {
  it('replay (CLI): 4 shards merged equal the unsharded run', () => {
    const { whole, shards, merged } = unshardedAndMerged('replay', REPLAY);
    expect(whole.verdict).toBe('fail');
    // Every shard holds some of the keys, and together exactly all of them.
    expect(shards.map((s) => s.shard?.index)).toEqual([0, 1, 2, 3]);
    for (const s of shards) expect(s.summary.windows).toBeGreaterThan(0);
    expect(comparable(merged)).toEqual(comparable(whole));
    expect(merged.diagnoses?.[0]?.code).toBe(whole.diagnoses?.[0]?.code);
    expect(merged.merged_from?.results).toHaveLength(SHARDS);
  }, 120_000);

  it('diff (CLI): 4 shards merged equal the unsharded run, diagnoses included; every report format', () => {
    const { whole, merged, files } = unshardedAndMerged('diff', DIFF());
    expect(whole.summary.mismatched).toBeGreaterThan(50);
    expect(whole.summary.duplicates).toBeGreaterThan(0);
    expect(comparable(merged)).toEqual(comparable(whole));
    expect(causes(merged)).toEqual(causes(whole));
    const reports = ['md', 'junit', 'html', 'prom'].map((f) => `${f}=${join(dir, `merged.${f}`)}`);
    const run = skewcheck(['merge', ...files, ...reports.flatMap((r) => ['--report', r])]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/merged from 4 shards/);
    expect(run.stdout).toMatch(/FAIL /);
    expect(readFileSync(join(dir, 'merged.md'), 'utf8')).toMatch(/merged from 4 shards/);
    expect(readFileSync(join(dir, 'merged.junit'), 'utf8')).toMatch(/<testsuite /);
    expect(readFileSync(join(dir, 'merged.html'), 'utf8')).toMatch(/<html/);
    expect(readFileSync(join(dir, 'merged.prom'), 'utf8')).toMatch(
      new RegExp(`skewcheck_mismatched_rows\\{[^}]*\\} ${whole.summary.mismatched}\\n`),
    );
  }, 120_000);

  it('replay: a cause reproduced in both shards merges into the unsharded diagnosis', () => {
    // The CLI (the built package) rather than the library here: a replay under vitest's
    // transform is several times slower.
    const zoo = join(ROOT, 'samples/zoo/null_handling');
    const args = [
      ...['replay', '--events', join(zoo, 'events.parquet'), '--batch', join(zoo, 'features.sql')],
      ...['--stream', join(zoo, 'features.skewed.ts'), '--key', 'user_id', '--bisect-sample', '0'],
    ];
    const run = (name: string, extra: string[]) => {
      const file = join(dir, `${name}.json`);
      expect(skewcheck([...args, ...extra, '--json', file, '-q']).code).toBe(1);
      return JSON.parse(readFileSync(file, 'utf8')) as DiffResult;
    };
    const whole = run('zoo', []);
    const shards = [0, 1].map((i) => run(`zoo-${i}`, ['--shard', `${i}/2`]));
    const merged = skewcheck(['merge', join(dir, 'zoo-0.json'), join(dir, 'zoo-1.json'), '--json', '-']);
    expect(merged.code).toBe(1);
    const result = JSON.parse(merged.stdout) as DiffResult;
    expect(comparable(result)).toEqual(comparable(whole));
    expect(causes(whole)[0]).toEqual(['null_handling', 'reproduced', 415, 415]);
    expect(shards.every((s) => s.diagnoses?.[0]?.tier === 'reproduced')).toBe(true);
    expect(causes(result)).toEqual(causes(whole));
  }, 60_000);

  it('empty shards: marked, passed over, and the merge equals the unsharded run', async () => {
    const settings = { left: `${dir}/few-left.parquet`, right: `${dir}/few-right.parquet`, key: 'user_id' };
    const whole = await diff(settings);
    const shards = await Promise.all(
      Array.from({ length: 8 }, (_, i) => diff({ ...settings, shard: `${i}/8` })),
    );
    const empty = shards.filter((s) => s.shard?.empty);
    expect(empty.length).toBeGreaterThanOrEqual(5);
    for (const s of empty) {
      expect(s.summary.windows).toBe(0);
      expect(s.verdict).toBe('pass');
    }
    const merged = await merge(shards);
    expect(merged.merged_from?.empty_shards).toEqual(empty.map((s) => s.shard!.index));
    expect(comparable(merged)).toEqual(comparable(whole));
    expect(whole.verdict).toBe('fail');
  }, 60_000);
});

describe('refused', () => {
  it('a shard spec outside 0..N-1, arrival-order replay, a stream processor', () => {
    const run = skewcheck([...REPLAY, '--shard', '4/4']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--shard must be i\/N .* got "4\/4" \(shards are numbered from 0/);
    expect(skewcheck([...REPLAY, '--shard', 'one/4']).code).toBe(2);
    const arrival = skewcheck([...REPLAY, '--shard', '0/2', '--simulate-delay', 'rate=0.01,max=1h']);
    expect(arrival.code).toBe(2);
    expect(arrival.stderr).toMatch(/--shard cannot be combined with arrival-order replay/);
    const zoo = join(ROOT, 'samples/zoo/time_shift');
    const processor = skewcheck([
      ...['replay', '--events', join(zoo, 'events.parquet'), '--batch', join(zoo, 'features.sql')],
      ...['--stream', join(zoo, 'features.skewed.ts'), '--key', 'customer_id', '--shard', '0/2'],
    ]);
    expect(processor.code).toBe(2);
    expect(processor.stderr).toMatch(/--shard needs a keyed module/);
  });

  it('missing, repeated, mixed-N, foreign and unsharded results', () => {
    const files = Array.from({ length: SHARDS }, (_, i) => join(dir, `diff-${i}.json`));
    const missing = skewcheck(['merge', files[0]!, files[2]!, files[3]!]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shard 1\/4 of the run is missing \(got 3 of 4\)/);
    const twice = skewcheck(['merge', files[0]!, files[0]!, files[1]!, files[2]!, files[3]!]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/are both shard 0\/4/);
    skewcheck([...DIFF(), '--shard', '0/2', '--json', join(dir, 'diff-0-of-2.json'), '-q']);
    const mixed = skewcheck(['merge', join(dir, 'diff-0-of-2.json'), ...files.slice(1)]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/are not shards of one run: the number of shards differ/);
    const foreign = skewcheck(['merge', join(dir, 'replay-0.json'), ...files.slice(1)]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/are not shards of one run: the command differ/);
    const unsharded = skewcheck(['merge', join(dir, 'diff.json')]);
    expect(unsharded.code).toBe(2);
    expect(unsharded.stderr).toMatch(/is not the result of a sharded run/);
  });

  it('shards of other inputs or other settings', () => {
    const files = Array.from({ length: SHARDS }, (_, i) => join(dir, `diff-${i}.json`));
    const other = join(dir, 'diff-1-other.json');
    skewcheck([
      ...DIFF().slice(0, 3),
      '--right',
      `${dir}/offline.parquet`,
      '--key',
      'user_id',
      '--shard',
      '1/4',
      '--json',
      other,
      '-q',
    ]);
    const inputs = skewcheck(['merge', files[0]!, other, files[2]!, files[3]!]);
    expect(inputs.code).toBe(2);
    expect(inputs.stderr).toMatch(/are not shards of one run: the inputs differ/);
    const tolerant = join(dir, 'diff-1-tolerant.json');
    skewcheck([...DIFF(), '--abs-tol', '0.5', '--shard', '1/4', '--json', tolerant, '-q']);
    const settings = skewcheck(['merge', files[0]!, tolerant, files[2]!, files[3]!]);
    expect(settings.code).toBe(2);
    expect(settings.stderr).toMatch(/are not shards of one run: the tolerances differ/);
  });

  it('shards that together compared nothing exit 2, as the unsharded run does', () => {
    const args = [
      ...['replay', '--events', join(dir, 'no-time.csv'), '--batch', join(dir, 'no-time.sql')],
      ...['--stream', join(dir, 'no-time.mjs'), '--key', 'user_id', '--bisect-sample', '0'],
    ];
    expect(skewcheck(args).code).toBe(2);
    const files = [0, 1].map((i) => join(dir, `no-time-${i}.json`));
    files.forEach((file, i) => {
      const run = skewcheck([...args, '--shard', `${i}/2`, '--json', file, '-q']);
      expect(run.code).toBe(0);
      expect(JSON.parse(readFileSync(file, 'utf8')).shard.empty).toBe(true);
    });
    const merged = skewcheck(['merge', ...files]);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toMatch(/nothing to compare: the 2 shards of this run together have no rows/);
  }, 60_000);
});
