import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { FRAUD, skewcheck, tempDir } from './cli.js';

let dir: string;

// An offline dump (the batch SQL over the sample) and an "online log" with three kinds of skew:
// one value changed, one window missing, one window duplicated.
beforeAll(async () => {
  dir = tempDir();
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`CREATE VIEW events AS SELECT * FROM read_parquet('${join(FRAUD, 'events.parquet')}')`);
  await c.run(`CREATE TABLE offline AS SELECT user_id, time_bucket(INTERVAL 5 MINUTE, ts) AS window_start,
      time_bucket(INTERVAL 5 MINUTE, ts) + INTERVAL 5 MINUTE AS window_end,
      count(*) AS txn_count_5m, sum(amount)::DOUBLE AS total_spent_5m FROM events GROUP BY ALL`);
  await c.run(`COPY offline TO '${dir}/offline.parquet'`);
  await c.run(`CREATE TABLE online AS
      WITH ranked AS (SELECT *, row_number() OVER (ORDER BY user_id, window_start) AS i FROM offline)
      SELECT user_id, window_start, window_end,
        CASE WHEN i = 1 THEN txn_count_5m + 1 ELSE txn_count_5m END AS txn_count_5m,
        total_spent_5m + 1e-12 AS total_spent_5m
      FROM ranked WHERE i <> 2
      UNION ALL SELECT user_id, window_start, window_end, txn_count_5m, total_spent_5m FROM ranked WHERE i = 3`);
  await c.run(`COPY online TO '${dir}/online.parquet'`);
  await c.run(`COPY offline TO '${dir}/offline.csv' (HEADER)`);
  c.closeSync();
  db.closeSync();
});

describe('skewcheck diff', () => {
  it('passes when a dump is compared with itself, across formats', () => {
    const run = skewcheck([
      'diff',
      '--left',
      `${dir}/offline.parquet`,
      '--right',
      `${dir}/offline.csv`,
      '--key',
      'user_id',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^skewcheck diff: .*offline\.parquet vs .*offline\.csv/);
  });

  it('finds the changed value, the missing window and the duplicate', () => {
    const run = skewcheck([
      'diff',
      '--left',
      `${dir}/offline.parquet`,
      '--right',
      `${dir}/online.parquet`,
      '--key',
      'user_id',
      '--json',
      '-',
    ]);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.command).toBe('diff');
    expect(result.summary).toMatchObject({ mismatched: 1, only_left: 2, only_right: 0, duplicates: 2 });
    const count = result.features.find((f: { name: string }) => f.name === 'txn_count_5m');
    expect(count).toMatchObject({ mismatches: 1, max_abs_diff: 1 });
    const total = result.features.find((f: { name: string }) => f.name === 'total_spent_5m');
    expect(total.mismatches).toBe(0);
    expect(total.max_abs_diff).toBeGreaterThan(0);
    expect(result.duplicates.right.groups).toBe(1);
  });

  it('--max-mismatch-rate accepts a small rate but never duplicates', () => {
    const args = [
      'diff',
      '--left',
      `${dir}/offline.parquet`,
      '--right',
      `${dir}/online.parquet`,
      '--key',
      'user_id',
    ];
    const run = skewcheck([...args, '--max-mismatch-rate', '0.01', '--json', '-']);
    expect(JSON.parse(run.stdout).reasons).toEqual([
      expect.stringMatching(/2 rows have a duplicated \(key, window\)/),
    ]);
    expect(run.code).toBe(1);
  });

  it('--time overrides the window columns', () => {
    const run = skewcheck([
      'diff',
      '--left',
      `${dir}/offline.parquet`,
      '--right',
      `${dir}/offline.parquet`,
      '--key',
      'user_id',
      '--time',
      'window_end',
      '--json',
      '-',
    ]);
    expect(JSON.parse(run.stdout).time_columns).toEqual(['window_end']);
    expect(run.code).toBe(0);
  });

  it('rejects an unknown format and a missing key column with exit 2', () => {
    const noKey = skewcheck([
      'diff',
      '--left',
      `${dir}/offline.parquet`,
      '--right',
      `${dir}/online.parquet`,
      '--key',
      'account',
    ]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(
      /--left .*offline\.parquet has no key column "account"; its columns are: user_id VARCHAR/,
    );
    const txt = join(dir, 'x.txt');
    writeFileSync(txt, 'a,b\n');
    const badFormat = skewcheck(['diff', '--left', txt, '--right', txt, '--key', 'a']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/cannot tell the format of .*x\.txt from its extension; pass --format/);
    const badFlag = skewcheck(['diff', '--left', txt, '--right', txt, '--key', 'a', '--format', 'xlsx']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/unknown format "xlsx"/);
  });
});
