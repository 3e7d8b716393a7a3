// The zoo of skews (samples/zoo): each skewed stream is caught and diagnosed with the right
// cause; the fixed stream next to it passes. Runs the built CLI (`npm run build` first).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { DiffResult } from '../../src/diff/index.js';
import { FRAUD, ROOT, skewcheck, tempDir } from './cli.js';

const ZOO = join(ROOT, 'samples/zoo');

interface ZooCase {
  name: string;
  key: string;
  /** Arguments of the skewed run (default: --stream features.skewed.ts) and of the fixed run. */
  skewed: string[];
  fixed: string[];
  /** What the top diagnosis's evidence must contain. */
  evidence: Record<string, unknown>;
  /** The top diagnosis's code and tier, when the folder is not named after the cause. */
  top?: { code: string; tier: string };
  /** The least share of differing rows the top diagnosis takes (default 0.9). */
  minShare?: number;
}

const ARRIVAL = ['--arrival-column', 'ingest_ts', '--max-out-of-orderness', '30s'];
const CASES: ZooCase[] = [
  {
    name: 'time_shift',
    key: 'customer_id',
    skewed: [],
    fixed: [],
    evidence: { shift: '+1h', whole_hours: true, later_side: 'stream' },
  },
  {
    name: 'duplicate_events',
    key: 'user_id',
    skewed: [],
    fixed: [],
    evidence: { id_column: 'transaction_id', id_column_chosen: 'detected', counted_by: 'stream' },
  },
  {
    name: 'null_handling',
    key: 'user_id',
    skewed: [],
    fixed: [],
    evidence: { null_on_batch: { discount_15m: 415 } },
  },
  {
    name: 'window_boundary',
    key: 'client_id',
    skewed: [],
    fixed: [],
    // The consumer's close-on-the-next-event is stateful: a recount with [start, end] reproduces
    // half of the rows, the rest only fits the boundary signal.
    minShare: 0.5,
    evidence: { batch_convention: '[start, end)', stream_convention: '[start, end]' },
  },
  {
    name: 'key_normalisation',
    key: 'user_id',
    skewed: [],
    fixed: [],
    evidence: { normalised_by: 'stream', differ_in: ['case', 'surrounding whitespace'] },
  },
  {
    name: 'definition_difference',
    key: 'user_id',
    skewed: [],
    fixed: [],
    evidence: {
      distinct_products_30m: { batch: 'count(DISTINCT product_id)', stream: 'count(DISTINCT product_name)' },
    },
  },
  {
    name: 'float_accumulation',
    key: 'merchant_id',
    skewed: [],
    fixed: [],
    evidence: { suggested_tolerance: ['--tol revenue_1h=rel:1e-6'] },
  },
  // The code is right; the job's lateness setting is the bug (see its README).
  {
    name: 'late_data',
    key: 'user_id',
    skewed: ['--stream', 'features.ts', ...ARRIVAL],
    fixed: ['--stream', 'features.ts', ...ARRIVAL, '--allowed-lateness', '20m'],
    evidence: { dropped_by: 'stream', late_events: 32 },
  },
  // Skews the checks were not written against: right, or honest — never a wrong reproduced cause.
  {
    name: 'zone_half_hour',
    key: 'restaurant_id',
    skewed: [],
    fixed: [],
    evidence: { shift: '+5h30m', labels: 'utc', zones: ['Asia/Calcutta', 'Asia/Colombo', 'Asia/Kolkata'] },
    top: { code: 'time_shift', tier: 'reproduced' },
  },
  {
    name: 'null_read_as_zero',
    key: 'driver_id',
    skewed: [],
    fixed: [],
    evidence: { column: 'fare', null_read_as: 0 },
    top: { code: 'null_handling', tier: 'reproduced' },
  },
  {
    name: 'inclusive_end_sparse',
    key: 'sensor_id',
    skewed: [],
    fixed: [],
    evidence: { batch_convention: '[start, end)', stream_convention: '(start, end]' },
    top: { code: 'window_boundary', tier: 'reproduced' },
  },
  {
    name: 'threshold_operator',
    key: 'hub_id',
    skewed: [],
    fixed: [],
    evidence: {},
    top: { code: 'unexplained', tier: 'unexplained' },
  },
];

const schema = JSON.parse(readFileSync(join(ROOT, 'schema/diff-result.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function replay(
  c: ZooCase,
  args: string[],
  extra: string[] = [],
): { code: number | null; result: DiffResult; report: string } {
  const dir = join(ZOO, c.name);
  const stream = args[0] === '--stream' ? args : ['--stream', 'features.skewed.ts', ...args];
  const resolved = stream.map((a, i) => (stream[i - 1] === '--stream' ? join(dir, a) : a));
  const run = skewcheck([
    'replay',
    '--events',
    join(dir, 'events.parquet'),
    '--batch',
    join(dir, 'features.sql'),
    '--key',
    c.key,
    ...resolved,
    ...extra,
    '--json',
    '-',
  ]);
  expect(run.stdout, run.stderr).not.toBe('');
  return { code: run.code, result: JSON.parse(run.stdout) as DiffResult, report: run.stderr };
}

describe('the zoo of skews', () => {
  for (const c of CASES) {
    const code = c.top?.code ?? c.name;
    it(`${c.name}: the skewed stream fails and is diagnosed as ${code}; the fixed one passes`, () => {
      const skewed = replay(c, c.skewed);
      expect(skewed.code).toBe(1);
      expect(validate(skewed.result), JSON.stringify(validate.errors)).toBe(true);
      const s = skewed.result.summary;
      const differing = s.mismatched + s.only_left + s.only_right;
      expect(differing).toBeGreaterThan(10);
      const [top] = skewed.result.diagnoses!;
      expect(top!.code).toBe(code);
      if (c.top) expect(top!.tier).toBe(c.top.tier);
      // Never a wrong cause stated as reproduced.
      for (const d of skewed.result.diagnoses!) if (d.tier === 'reproduced') expect(d.code).toBe(code);
      expect(top!.share).toBeGreaterThanOrEqual(c.minShare ?? 0.9);
      expect(top!.evidence).toMatchObject(c.evidence);
      expect(skewed.result.diagnoses!.reduce((sum, d) => sum + d.rows, 0)).toBe(differing);
      expect(skewed.report).toMatch(new RegExp(`Why they differ\\n +[\\d.]+% +${code} `));

      const fixedArgs = c.fixed.length ? c.fixed : ['--stream', 'features.ts'];
      const fixed = replay(c, fixedArgs);
      expect(fixed.code).toBe(0);
      expect(fixed.result.diagnoses).toEqual([]);
      expect(fixed.report).not.toMatch(/Why they differ/);
    });
  }

  it('float_accumulation: the suggested tolerance makes the skewed stream pass', () => {
    const c = CASES.find((x) => x.name === 'float_accumulation')!;
    const [diagnosis] = replay(c, c.skewed).result.diagnoses!;
    const suggested = diagnosis!.evidence.suggested_tolerance as string[];
    expect(suggested).toEqual(['--tol revenue_1h=rel:1e-6']);
    const flags = suggested.flatMap((s) => s.split(' '));
    expect(replay(c, c.skewed, flags).code).toBe(0);
  });

  it('--event-id names the column identifying an event; an unknown column is a usage error', () => {
    const c = CASES.find((x) => x.name === 'duplicate_events')!;
    const [top] = replay(c, c.skewed, ['--event-id', 'transaction_id']).result.diagnoses!;
    expect(top!.evidence).toMatchObject({ id_column: 'transaction_id', id_column_chosen: 'option' });
    const dir = join(ZOO, c.name);
    const run = skewcheck([
      'replay',
      '--events',
      join(dir, 'events.parquet'),
      '--batch',
      join(dir, 'features.sql'),
      '--stream',
      join(dir, 'features.skewed.ts'),
      '--key',
      'user_id',
      '--event-id',
      'txn',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--event-id names "txn", which is not a column of the event log/);
  });

  it('the bundled fraud sample: the stream counts merchant names, reproduced from the log', () => {
    const run = skewcheck([
      'replay',
      '--events',
      join(FRAUD, 'events.parquet'),
      '--batch',
      join(FRAUD, 'features.sql'),
      '--stream',
      join(FRAUD, 'features.skewed.ts'),
      '--key',
      'user_id',
      '--json',
      '-',
    ]);
    const result = JSON.parse(run.stdout) as DiffResult;
    expect(result.diagnoses!.map((d) => [d.code, d.share])).toEqual([['definition_difference', 1]]);
    expect(result.diagnoses![0]!.evidence.unique_merchants_5m).toMatchObject({
      stream: 'count(DISTINCT merchant_name)',
      batch: 'count(DISTINCT merchant_id)',
    });
    expect(run.stderr).toMatch(
      /unique_merchants_5m: the stream's values are count\(DISTINCT merchant_name\)/,
    );
  });

  it('every case has a README listed in the zoo README, and the generator reproduces the committed logs', async () => {
    const cases = readdirSync(ZOO, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(cases).toEqual(CASES.map((c) => c.name).sort());
    const index = readFileSync(join(ZOO, 'README.md'), 'utf8');
    for (const name of cases) {
      expect(existsSync(join(ZOO, name, 'README.md'))).toBe(true);
      expect(index).toContain(`[\`${name}\`](${name}/)`);
    }
    const out = tempDir();
    const generated = spawnSync(process.execPath, [join(ZOO, 'generate.mjs'), '--out-dir', out], {
      encoding: 'utf8',
    });
    expect(generated.status, generated.stderr).toBe(0);
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    try {
      for (const name of cases) {
        const committed = `read_parquet('${join(ZOO, name, 'events.parquet')}')`;
        const fresh = `read_parquet('${join(out, name, 'events.parquet')}')`;
        const reader = await connection.runAndReadAll(
          `SELECT (SELECT count(*) FROM (FROM ${committed} EXCEPT ALL FROM ${fresh})) +
                  (SELECT count(*) FROM (FROM ${fresh} EXCEPT ALL FROM ${committed})) AS differing,
                  (SELECT count(*) FROM ${fresh}) AS rows`,
        );
        const [row] = reader.getRowObjectsJS();
        expect(Number(row!.differing), name).toBe(0);
        expect(Number(row!.rows), name).toBeGreaterThan(500);
      }
    } finally {
      connection.closeSync();
      db.closeSync();
    }
  });
});
