import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { FRAUD, ROOT, skewcheck, tempDir } from './cli.js';

const TRAIN = join(FRAUD, 'train.parquet');
const PROD = join(FRAUD, 'prod.parquet');
const SAMPLE = ['drift', '--train', TRAIN, '--prod', PROD, '--exclude', 'user_id,snapshot_ts'];

type Schema = Record<string, unknown>;

/** The shipped schema, with every documented object closed so undocumented fields fail too. */
function strictSchema(): Schema {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schema/drift-result.schema.json'), 'utf8')) as Schema;
  const close = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(close);
    else if (node && typeof node === 'object') {
      const obj = node as Schema;
      if (obj.properties && obj.additionalProperties === undefined) obj.additionalProperties = false;
      Object.values(obj).forEach(close);
    }
  };
  close(schema);
  return schema;
}
const validate = new Ajv({ allErrors: true, strict: false }).compile(strictSchema());

function json(stdout: string) {
  return JSON.parse(stdout) as {
    verdict: string;
    reasons: string[];
    summary: Record<string, number>;
    features: {
      name: string;
      status: string;
      drift: boolean;
      distribution_drift: boolean;
      null_rate_drift: boolean;
      notes: string[];
      statistic: number | null;
      pvalue: number | null;
      method: string | null;
      train: { count: number; infinite?: number };
      prod: { count: number };
    }[];
  };
}

let dir: string;
beforeAll(async () => {
  dir = tempDir();
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const q = (path: string) => `'${join(dir, path)}'`;
  await c.run(
    `COPY (SELECT i::DOUBLE AS amount, 'a' AS plan FROM range(200) t(i)) TO ${q('train.csv')} (HEADER)`,
  );
  // A CSV whose "amount" has a non-numeric value: DuckDB reads the whole column as text.
  writeFileSync(
    join(dir, 'prod.csv'),
    `amount,plan\n${Array.from({ length: 199 }, (_, i) => `${i + 0.5},a`).join('\n')}\nn/a,a\n`,
  );
  writeFileSync(join(dir, 'empty.csv'), 'amount,plan\n');
  writeFileSync(join(dir, 'garbage.parquet'), 'this is not a parquet file, just text pretending');
  await c.run(`COPY (SELECT i % 7 AS score, 5 AS flat, CASE WHEN i % 10 = 0 THEN 'Infinity'::DOUBLE ELSE i END AS wild,
                 i AS only_train FROM range(300) t(i)) TO ${q('a.parquet')}`);
  await c.run(`COPY (SELECT (i + 3) % 7 AS score, 5 AS flat, CASE WHEN i % 9 = 0 THEN '-Infinity'::DOUBLE ELSE i END AS wild,
                 NULL::DOUBLE AS gone FROM range(250) t(i)) TO ${q('b.parquet')}`);
  await c.run(`COPY (SELECT i % 7 AS score, 5 AS flat, i::DOUBLE AS wild, i AS only_train, NULL::DOUBLE AS gone
                 FROM range(300) t(i)) TO ${q('c.parquet')}`);
  await c.run(`COPY (SELECT (i % 7)::DOUBLE AS score, 5 AS flat, NULL::DOUBLE AS wild, i AS only_train, i::DOUBLE AS gone
                 FROM range(300) t(i)) TO ${q('d.parquet')}`);
  // Hostile values: half of train at -Infinity (D is reached at -∞), values whose squares overflow
  // a double, and a categorical whose 50 categories are all replaced by new ones in prod.
  await c.run(`COPY (SELECT CASE WHEN i % 2 = 0 THEN '-Infinity'::DOUBLE ELSE i % 97 END AS neg_inf,
                 ((i * 7919) % 1000)::DOUBLE * 1e157 AS huge, 'old_' || (i % 50) AS city FROM range(1000) t(i))
                 TO ${q('hostile-train.parquet')}`);
  await c.run(`COPY (SELECT (i % 97)::DOUBLE AS neg_inf, ((i * 7907) % 1000)::DOUBLE * 1e157 AS huge,
                 'new_' || (i % 50) AS city FROM range(1000) t(i)) TO ${q('hostile-prod.parquet')}`);
  await c.run(
    `COPY (SELECT DATE '2026-01-01' + i::INTEGER AS day FROM range(10) t(i)) TO ${q('dates.parquet')}`,
  );
  c.closeSync();
  db.closeSync();
});

describe('skewcheck drift on the fraud sample snapshots', () => {
  it('finds exactly the drifted numeric, the drifted categorical and the null-rate regression; exit 1', () => {
    const run = skewcheck([...SAMPLE, '--json', '-']);
    expect(run.code).toBe(1);
    const result = json(run.stdout);
    expect(validate(result)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    const drifted = result.features.filter((f) => f.drift).map((f) => f.name);
    expect(drifted.sort()).toEqual(['country', 'device_type', 'distance_from_home_km']);
    const byName = Object.fromEntries(result.features.map((f) => [f.name, f]));
    expect(byName.distance_from_home_km!.distribution_drift).toBe(true);
    expect(byName.distance_from_home_km!.method).toBe('exact');
    expect(byName.country!.distribution_drift).toBe(true);
    expect(byName.device_type).toMatchObject({ distribution_drift: false, null_rate_drift: true });
    expect(result.summary).toMatchObject({ features: 7, tested: 7, drifted: 3, schema_mismatches: 0 });
    expect(result.verdict).toBe('fail');
    expect(byName.country!.notes.join(' ')).toContain('"BR", "MX"');
    // --json - keeps stdout for the JSON; the human report goes to stderr.
    expect(run.stderr).toContain('FAIL');
  });

  it('prints a table sorted by severity, and passes when the gate allows the drift', () => {
    const run = skewcheck(SAMPLE);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    const row = (name: string) => lines.findIndex((l) => l.includes(`│ ${name} `));
    expect(row('device_type')).toBeLessThan(row('amount_mean_7d'));
    expect(row('distance_from_home_km')).toBeLessThan(row('txn_count_24h'));
    expect(run.stdout).toMatch(/FAIL {2}3 of 7 tested features drifted/);
    expect(skewcheck([...SAMPLE, '--max-drifted', '3', '-q']).code).toBe(0);
    expect(skewcheck([...SAMPLE, '--max-drifted', '50%', '-q']).code).toBe(0);
    expect(skewcheck([...SAMPLE, '--max-drifted', '40%', '-q']).code).toBe(1);
    // With Bonferroni over the 9 tests and a very small alpha, only the tiny p-values survive.
    const strict = json(
      skewcheck([...SAMPLE, '--correction', 'bonferroni', '--alpha', '1e-200', '--json', '-']).stdout,
    );
    expect(
      strict.features
        .filter((f) => f.drift)
        .map((f) => f.name)
        .sort(),
    ).toEqual(['country', 'device_type']);
  });

  it('writes byte-identical JSON on every run, and a snapshot against itself passes', () => {
    const a = join(dir, 'run-a.json');
    const b = join(dir, 'run-b.json');
    skewcheck([...SAMPLE, '--json', a, '-q', '--report', `prom=${a}.prom`]);
    skewcheck([...SAMPLE, '--json', b, '-q', '--report', `prom=${b}.prom`]);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    // The metrics too, but for the run's own time and duration.
    const metrics = (file: string) =>
      readFileSync(file, 'utf8').replace(
        /^(skewcheck_(last_run_timestamp|run_duration)_seconds\{.*\}) .*$/gm,
        '$1',
      );
    expect(metrics(`${a}.prom`)).toBe(metrics(`${b}.prom`));
    expect(metrics(`${a}.prom`)).toContain(
      'skewcheck_drift_detected{check="drift",command="drift",feature="distance_from_home_km"} 1\n',
    );
    const self = skewcheck([
      'drift',
      '--train',
      TRAIN,
      '--prod',
      TRAIN,
      '--exclude',
      'user_id,snapshot_ts',
      '--json',
      '-',
    ]);
    expect(self.code).toBe(0);
    const result = json(self.stdout);
    expect(result.verdict).toBe('pass');
    expect(result.features.filter((f) => f.statistic !== 0).map((f) => f.name)).toEqual([]);
  });
});

describe('features that cannot be compared as usual', () => {
  it('reports a column on one side only, zero non-null values, constants and infinities', () => {
    const run = skewcheck([
      'drift',
      '--train',
      join(dir, 'a.parquet'),
      '--prod',
      join(dir, 'b.parquet'),
      '--json',
      '-',
    ]);
    expect(run.code).toBe(1);
    const result = json(run.stdout);
    expect(validate(result)).toBe(true);
    const byName = Object.fromEntries(result.features.map((f) => [f.name, f]));
    expect(byName.only_train!.status).toBe('only_train');
    expect(byName.gone!.status).toBe('only_prod');
    expect(result.reasons.join('\n')).toContain('"only_train" is only in the training snapshot');
    expect(byName.flat!.notes.join(' ')).toContain('D is well defined');
    expect(byName.flat!.statistic).toBe(0);
    expect(byName.wild!.train.infinite).toBe(30);
    expect(byName.wild!.notes.join(' ')).toMatch(/ordered as ±∞ in the KS test/);
    expect(result.summary.schema_mismatches).toBe(2);

    const empty = json(
      skewcheck(['drift', '--train', join(dir, 'c.parquet'), '--prod', join(dir, 'd.parquet'), '--json', '-'])
        .stdout,
    );
    const wild = empty.features.find((f) => f.name === 'wild')!;
    expect(wild.status).toBe('cannot_test');
    expect(wild.null_rate_drift).toBe(true);
    expect(wild.notes.join(' ')).toContain('no non-missing values in prod');
    const gone = empty.features.find((f) => f.name === 'gone')!;
    expect(gone.status).toBe('cannot_test');
  });

  it('reports a CSV column read as text on one side as a type mismatch naming the column and a bad value', () => {
    const run = skewcheck([
      'drift',
      '--train',
      join(dir, 'train.csv'),
      '--prod',
      join(dir, 'prod.csv'),
      '--json',
      '-',
    ]);
    expect(run.code).toBe(1);
    const amount = json(run.stdout).features.find((f) => f.name === 'amount')!;
    expect(amount.status).toBe('type_mismatch');
    expect(amount.notes[0]).toContain('column "amount" is numeric (DOUBLE)');
    expect(amount.notes[0]).toContain('but text (VARCHAR)');
    expect(amount.notes[0]).toContain('e.g. "n/a"');
  });
});

describe('hostile values', () => {
  it('orders ±Infinity, survives squares beyond a double, and sees mass moving to new categories', () => {
    const html = join(dir, 'hostile.html');
    const args = ['--train', join(dir, 'hostile-train.parquet'), '--prod', join(dir, 'hostile-prod.parquet')];
    const run = skewcheck(['drift', ...args, '--json', '-', '--report', `html=${html}`]);
    expect(run.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as {
      features: {
        name: string;
        drift: boolean;
        statistic: number;
        effect: number;
        effect_measure: string;
        notes: string[];
        train: { std: number | null; infinite?: number };
        numeric: { statistic_location: number | null } | null;
        categorical: { total_variation: number; linf: number; js_distance: number } | null;
      }[];
    };
    expect(validate(result)).toBe(true);
    const byName = Object.fromEntries(result.features.map((f) => [f.name, f]));
    // SciPy: ks_2samp([-inf]*500 + [odd i % 97], [i % 97]) has D = 0.5, reached at -inf.
    expect(byName.neg_inf!.statistic).toBe(0.5);
    expect(byName.neg_inf!.drift).toBe(true);
    expect(byName.neg_inf!.numeric!.statistic_location).toBeNull();
    expect(byName.neg_inf!.notes.join(' ')).toContain('D is reached at -∞');
    // k·1e157 with k a permutation of 0..999: sample std sqrt(1000·1001/12)·1e157 (numpy agrees).
    expect(byName.huge!.train.std! / 1e159).toBeCloseTo(Math.sqrt((1000 * 1001) / 12) / 100, 9);
    expect(byName.huge!.drift).toBe(false);
    const city = byName.city!;
    expect(city.effect_measure).toBe('total_variation');
    expect(city.categorical!.linf).toBeCloseTo(0.02, 12);
    expect(city.categorical!.total_variation).toBe(1);
    expect(city.effect).toBe(1);
    expect(city.categorical!.js_distance).toBe(1);
    expect(city.drift).toBe(true);
    expect(readFileSync(html, 'utf8')).toContain('neg_inf');
  });

  it('refuses a run in which no column can be compared instead of passing', () => {
    const dates = join(dir, 'dates.parquet');
    const run = skewcheck(['drift', '--train', dates, '--prod', dates]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nothing to compare');
    expect(run.stderr).toContain('"day" (DATE)');
    expect(run.stderr).not.toMatch(/internal error|PASS/);
  });
});

describe('bad input exits 2 with a message naming the file or column', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'a missing file',
      ['--train', 'nope/missing.parquet', '--prod', PROD],
      /file not found: .*nope\/missing\.parquet/,
    ],
    [
      'an unreadable file',
      ['--train', TRAIN, '--prod', 'GARBAGE'],
      /cannot read production snapshot .*garbage\.parquet/,
    ],
    [
      'a snapshot with no rows',
      ['--train', 'EMPTY', '--prod', 'EMPTY'],
      /training snapshot .*empty\.csv has no rows/,
    ],
    [
      '--features naming a missing column',
      ['--train', TRAIN, '--prod', PROD, '--features', 'country,nope'],
      /--features names column "nope", which is not in .*train\.parquet or .*prod\.parquet/,
    ],
    [
      '--exclude naming a missing column',
      ['--train', TRAIN, '--prod', PROD, '--exclude', 'user_idd'],
      /--exclude names column "user_idd"/,
    ],
    [
      'an alpha outside (0, 1)',
      ['--train', TRAIN, '--prod', PROD, '--alpha', '2'],
      /--alpha must be a number between 0 and 1/,
    ],
    [
      'an unknown correction',
      ['--train', TRAIN, '--prod', PROD, '--correction', 'holm'],
      /--correction must be one of bh, bonferroni, none/,
    ],
    [
      'a malformed gate',
      ['--train', TRAIN, '--prod', PROD, '--max-drifted', 'lots'],
      /--max-drifted must be a whole number/,
    ],
  ];
  it.each(cases)('%s', (_name, args, message) => {
    const resolved = args.map((a) =>
      a === 'GARBAGE' ? join(dir, 'garbage.parquet') : a === 'EMPTY' ? join(dir, 'empty.csv') : a,
    );
    const run = skewcheck(['drift', ...resolved]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});
