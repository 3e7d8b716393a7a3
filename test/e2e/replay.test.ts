import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Ajv } from 'ajv';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { FRAUD, ROOT, skewcheck, tempDir } from './cli.js';

const EVENTS = join(FRAUD, 'events.parquet');
const SQL = join(FRAUD, 'features.sql');
const STREAM = join(FRAUD, 'features.ts');
const SKEWED = join(FRAUD, 'features.skewed.ts');
const base = ['replay', '--events', EVENTS, '--batch', SQL, '--key', 'user_id'];

async function sql(statement: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  await connection.run(statement);
  connection.closeSync();
  db.closeSync();
}

describe('skewcheck replay on the bundled fraud sample', () => {
  it('agrees for the correct streaming implementation (exit 0)', () => {
    const run = skewcheck([...base, '--stream', STREAM]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/PASS batch and stream agree on [\d,]+ of [\d,]+ \(key, window\) rows/);
  });

  it('catches the skewed variant (exit 1), naming the feature and keys', () => {
    const run = skewcheck([...base, '--stream', SKEWED]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAIL [\d,]+ of [\d,]+ \(key, window\) rows differ/);
    expect(run.stdout).toMatch(/features that differ: unique_merchants_5m\n/);
    expect(run.stdout).toMatch(/Top offending keys\n {2}user_id=u\d+/);
  });

  it('--json - prints only a schema-valid result on stdout', () => {
    const run = skewcheck([...base, '--stream', SKEWED, '--json', '-']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema/diff-result.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate.errors ?? validate(result)).toBe(true);
    expect(result.verdict).toBe('fail');
    const features = Object.fromEntries(result.features.map((f: { name: string }) => [f.name, f]));
    expect(features.unique_merchants_5m.mismatches).toBeGreaterThan(0);
    expect(features.txn_count_5m.mismatches).toBe(0);
    expect(features.total_spent_5m.mismatches).toBe(0);
    expect(result.summary.left_rows).toBe(result.summary.right_rows);
    expect(result.replay.events).toBeGreaterThan(10_000);
    // The human report went to stderr instead.
    expect(run.stderr).toMatch(/FAIL/);
  });

  it('is deterministic: the same inputs give byte-identical JSON', () => {
    const a = skewcheck([...base, '--stream', SKEWED, '--json', '-']).stdout;
    const b = skewcheck([...base, '--stream', SKEWED, '--json', '-']).stdout;
    expect(a).toBe(b);
  });

  it('--mismatches writes every differing row, --json a file', async () => {
    const dir = tempDir();
    const out = join(dir, 'audit', 'mismatches.parquet');
    const json = join(dir, 'result.json');
    const run = skewcheck([...base, '--stream', SKEWED, '--mismatches', out, '--json', json, '--quiet']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const result = JSON.parse(readFileSync(json, 'utf8'));
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    const reader = await connection.runAndReadAll(
      `SELECT count(*) AS n, count(*) FILTER (WHERE unique_merchants_5m__differs) AS d FROM read_parquet('${out}')`,
    );
    const [row] = reader.getRowObjectsJS();
    expect(Number(row!.n)).toBe(result.summary.mismatched);
    expect(Number(row!.d)).toBe(
      result.features.find((f: { name: string }) => f.name === 'unique_merchants_5m').mismatches,
    );
    connection.closeSync();
    db.closeSync();
  });
});

describe('inputs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    await sql(`COPY (SELECT * FROM read_parquet('${EVENTS}')) TO '${dir}/events.csv' (HEADER)`);
    await sql(`COPY (SELECT * FROM read_parquet('${EVENTS}')) TO '${dir}/events.ndjson' (FORMAT json)`);
  });

  it.each(['events.csv', 'events.ndjson'])('reads %s', (file) => {
    const run = skewcheck([
      'replay',
      '--events',
      join(dir, file),
      '--batch',
      SQL,
      '--stream',
      STREAM,
      '--key',
      'user_id',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('reads Arrow IPC through apache-arrow', () => {
    const table = tableFromArrays({
      user_id: ['a', 'a', 'b'],
      amount: Float64Array.from([1.25, 2.5, 4]),
      merchant_id: ['m1', 'm2', 'm1'],
      merchant_name: ['M1', 'M2', 'M1'],
      ts: [
        new Date('2026-01-01T10:00:00Z'),
        new Date('2026-01-01T10:03:00Z'),
        new Date('2026-01-01T10:07:00Z'),
      ],
    });
    const file = join(dir, 'events.arrow');
    writeFileSync(file, tableToIPC(table, 'file'));
    const run = skewcheck([
      'replay',
      '--events',
      file,
      '--batch',
      SQL,
      '--stream',
      STREAM,
      '--key',
      'user_id',
      '--json',
      '-',
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).summary).toMatchObject({ windows: 2, matched: 2 });
  });

  it('reads a hive-partitioned folder and paths with spaces and quotes', async () => {
    const folder = join(dir, 'it\'s a "folder"');
    await sql(
      `COPY (SELECT *, strftime(ts, '%Y-%m-%d') AS day FROM read_parquet('${EVENTS}')) TO '${folder.replaceAll("'", "''")}' (FORMAT parquet, PARTITION_BY (day))`,
    );
    const sqlCopy = join(dir, 'my features.sql');
    copyFileSync(SQL, sqlCopy);
    const run = skewcheck([
      'replay',
      '--events',
      folder,
      '--batch',
      sqlCopy,
      '--stream',
      STREAM,
      '--key',
      'user_id',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('bad input: a clear message and exit 2', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });
  const write = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const expectUserError = (run: { code: number | null; stderr: string; stdout: string }, pattern: RegExp) => {
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr).not.toMatch(/internal error|\n\s+at .*dist\//);
    expect(run.stdout).toBe('');
  };

  it('missing event log', () => {
    expectUserError(
      skewcheck([
        ...base.slice(0, 1),
        '--events',
        'nope.parquet',
        '--batch',
        SQL,
        '--stream',
        STREAM,
        '--key',
        'user_id',
      ]),
      /file not found: .*nope\.parquet/,
    );
  });

  it('truncated Parquet file', () => {
    const bytes = readFileSync(EVENTS);
    const path = join(dir, 'truncated.parquet');
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expectUserError(
      skewcheck(['replay', '--events', path, '--batch', SQL, '--stream', STREAM, '--key', 'user_id']),
      /cannot read event log .*truncated\.parquet/,
    );
  });

  it('a file that is not what its extension says', () => {
    const path = write('garbage.parquet', 'user_id,ts\nu1,2026-01-01\n');
    expectUserError(
      skewcheck(['replay', '--events', path, '--batch', SQL, '--stream', STREAM, '--key', 'user_id']),
      /cannot read event log .*garbage\.parquet as parquet/,
    );
  });

  it('empty event log', async () => {
    const path = join(dir, 'empty.parquet');
    await sql(`COPY (SELECT * FROM read_parquet('${EVENTS}') LIMIT 0) TO '${path}'`);
    expectUserError(
      skewcheck(['replay', '--events', path, '--batch', SQL, '--stream', STREAM, '--key', 'user_id']),
      /the event log .*empty\.parquet has no rows/,
    );
  });

  it('SQL syntax error shows DuckDB message and the file', () => {
    const path = write('syntax.sql', 'SELEC user_id FROM events;');
    expectUserError(
      skewcheck(['replay', '--events', EVENTS, '--batch', path, '--stream', STREAM, '--key', 'user_id']),
      /SQL error in .*syntax\.sql:1: Parser Error: syntax error at or near "SELEC"/,
    );
  });

  it('SQL runtime error names the statement', () => {
    const path = write(
      'runtime.sql',
      "CREATE TABLE x AS SELECT 1 AS a;\nSELECT CAST('abc' AS INTEGER) AS user_id FROM events;",
    );
    expectUserError(
      skewcheck(['replay', '--events', EVENTS, '--batch', path, '--stream', STREAM, '--key', 'user_id']),
      /SQL error in .*runtime\.sql:2 \(statement 2 of 2\): Conversion Error/,
    );
  });

  it('batch output without window columns lists what it has', () => {
    const path = write('nowindow.sql', 'SELECT user_id, count(*) AS n FROM events GROUP BY ALL');
    expectUserError(
      skewcheck(['replay', '--events', EVENTS, '--batch', path, '--stream', STREAM, '--key', 'user_id']),
      /the batch output of .*nowindow\.sql has no window column "window_start"; its columns are: user_id VARCHAR, n BIGINT/,
    );
  });

  it('streaming module without a valid default export', () => {
    const path = write('nodefault.ts', 'export const feature = 1;\n');
    expectUserError(
      skewcheck([...base, '--stream', path]),
      /the streaming module .*nodefault\.ts has no valid default export \(got undefined\); expected export default defineStreamingFeature/,
    );
  });

  it('streaming module that throws on an event: row number, key, time and the user frame', () => {
    const path = write(
      'throws.ts',
      [
        "import { defineStreamingFeature, tumbling } from 'skewcheck';",
        'export default defineStreamingFeature<{ user_id: string; amount: number }, { n: number }>({',
        '  key: (e) => e.user_id,',
        "  window: tumbling('5m'),",
        '  init: () => ({ n: 0 }),',
        '  add: (acc, e) => {',
        "    if (e.amount > 1000) throw new Error('amount too large');",
        '    acc.n++;',
        '  },',
        '  emit: (acc) => ({ n: acc.n }),',
        '});',
      ].join('\n'),
    );
    const run = skewcheck([...base, '--stream', path]);
    expectUserError(
      run,
      /the streaming module .*throws\.ts threw in add\(\): amount too large, at event #\d+ in replay order, key \{"user_id":"u\d+"\}, time 2026-/,
    );
    expect(run.stderr).toMatch(/event: \{.*"amount":\d+/);
    expect(run.stderr).toMatch(/at .*throws\.ts:7:\d+/);
  });

  it('streaming module with a syntax error', () => {
    const path = write('broken.ts', 'export default {\n  key: (e) => e.user_id,,\n};\n');
    expectUserError(
      skewcheck([...base, '--stream', path]),
      /the streaming module .*broken\.ts failed to load: /,
    );
  });

  it('unknown feature in --tol', () => {
    expectUserError(
      skewcheck([...base, '--stream', STREAM, '--tol', 'total_spent=abs:0.01']),
      /--tol names "total_spent", which is not a feature of either side \(features: total_spent_5m, txn_count_5m, unique_merchants_5m\)/,
    );
  });

  it('missing required flag', () => {
    const run = skewcheck(['replay', '--events', EVENTS]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/required option '--batch <features.sql>' not specified/);
  });

  it('time column that is not a timestamp', () => {
    expectUserError(
      skewcheck([...base, '--stream', STREAM, '--time-column', 'amount']),
      /the time column "amount" of .*events\.parquet has type DECIMAL\(10,2\); expected TIMESTAMP/,
    );
    expectUserError(
      skewcheck([...base, '--stream', STREAM, '--time-column', 'user_id']),
      /the time column "user_id" of .*events\.parquet is text and "u\d+" is not a timestamp/,
    );
  });
});

describe('help and version', () => {
  it('prints help with examples and exit codes', () => {
    const run = skewcheck(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Exit codes: 0 clean, 1 skew or drift found, 2 usage or input error/);
    expect(skewcheck(['replay', '--help']).stdout).toMatch(
      /Examples:\n {2}\$ skewcheck replay --events samples\/fraud\/events.parquet/,
    );
  });

  it('prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(skewcheck(['--version']).stdout.trim()).toBe(pkg.version);
    expect(existsSync(join(ROOT, 'dist/index.d.ts'))).toBe(true);
  });
});
