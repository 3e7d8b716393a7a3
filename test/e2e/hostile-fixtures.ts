// Tiny inputs for the hostile suite, written once per run into a temporary folder: the zoo's
// time_shift case for replay, small Parquet/CSV pairs for diff (integers at the edge of a
// double, NaN and ±Infinity, duplicates, zero rows), the fraud snapshots for drift, and broken
// files of every kind.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ROOT } from './cli.js';

const ZOO = join(ROOT, 'samples/zoo/time_shift');
export const FEATURE_SQL = readFileSync(join(ZOO, 'features.sql'), 'utf8');

const W = "TIMESTAMP '2026-01-01 10:00:00'";

export async function writeHostileFixtures(dir: string): Promise<void> {
  for (const name of ['events.parquet', 'features.sql', 'features.ts', 'features.skewed.ts']) {
    copyFileSync(join(ZOO, name), join(dir, name));
  }
  copyFileSync(join(ROOT, 'samples/fraud/train.parquet'), join(dir, 'train.parquet'));
  copyFileSync(join(ROOT, 'samples/fraud/prod.parquet'), join(dir, 'prod.parquet'));
  writeFileSync(join(dir, 'zero-bytes.parquet'), '');
  writeFileSync(join(dir, 'truncated.parquet'), readFileSync(join(ZOO, 'events.parquet')).subarray(0, 300));
  writeFileSync(join(dir, 'notes.txt'), 'not data\n');
  writeFileSync(join(dir, 'broken.json'), '[{"k": 1, "window_start": ');
  writeFileSync(join(dir, 'garbage.csv'), Buffer.from([0, 159, 146, 150, 10, 255, 0, 1, 2, 3]));
  writeFileSync(join(dir, 'header-only.csv'), 'k,window_start,v\n');
  writeFileSync(join(dir, 'l.csv'), `k,window_start,cnt,cat\n1,2026-01-01,3,a\n2,2026-01-01,4,b\n`);
  writeFileSync(join(dir, 'typed.csv'), `k,window_start,cnt,cat\n1,2026-01-01,x,a\n2,2026-01-01,y,b\n`);
  writeFileSync(join(dir, 'dup.csv'), `k,window_start,v\n1,2026-01-01,1\n1,2026-01-01,2\n2,2026-01-01,3\n`);
  writeFileSync(
    join(dir, 'nan-a.csv'),
    `k,window_start,v\n1,2026-01-01,nan\n2,2026-01-01,inf\n3,2026-01-01,1.5\n`,
  );
  writeFileSync(
    join(dir, 'nan-b.csv'),
    `k,window_start,v\n1,2026-01-01,nan\n2,2026-01-01,-inf\n3,2026-01-01,1.5\n`,
  );
  // 650 feature columns × 120 rows: a wide feature-store dump (one column differs in wide-b).
  const wideHeader = ['k', 'window_start', ...Array.from({ length: 650 }, (_, j) => `f${j}`)].join(',');
  const wideRow = (i: number, shifted: boolean) =>
    [
      i,
      '2026-01-01',
      ...Array.from({ length: 650 }, (_, j) => (j === 321 && shifted && i % 3 === 0 ? i * j + 1 : i * j) / 4),
    ].join(',');
  const wide = (shifted: boolean) =>
    `${wideHeader}\n${Array.from({ length: 120 }, (_, i) => wideRow(i, shifted)).join('\n')}\n`;
  writeFileSync(join(dir, 'wide-a.csv'), wide(false));
  writeFileSync(join(dir, 'wide-b.csv'), wide(true));
  writeFileSync(join(dir, 'bigint-a.csv'), `k,window_start,v\n1,2026-01-01,1234567890123456789\n`);
  writeFileSync(join(dir, 'bigint-b.csv'), `k,window_start,v\n1,2026-01-01,1234567890123456788\n`);
  writeFileSync(join(dir, 'inf-train.csv'), `id,x\n1,1.5\n2,inf\n3,-inf\n4,2.5\n5,3\n6,4\n`);
  mkdirSync(join(dir, 'empty-dir'));
  mkdirSync(join(dir, 'text-dir'));
  writeFileSync(join(dir, 'text-dir/a.txt'), 'hello\n');

  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const copy = (query: string, name: string) =>
    db.run(`COPY (${query}) TO '${join(dir, name)}' (FORMAT parquet)`);
  try {
    await copy(`SELECT * FROM '${join(ZOO, 'events.parquet')}' LIMIT 0`, 'events-empty.parquet');
    await copy(
      `SELECT i % 20 AS k, ${W} + INTERVAL (i // 20) HOUR AS window_start, i * 3 AS cnt, i / 7 AS amt, 'c' || (i % 4) AS cat FROM range(200) t(i)`,
      'l.parquet',
    );
    await copy(
      `SELECT i % 20 AS k, ${W} + INTERVAL (i // 20) HOUR AS window_start, i * 3 + (i % 17 = 0)::INT AS cnt, i / 7 AS amt, 'c' || (i % 4) AS cat FROM range(200) t(i)`,
      'r.parquet',
    );
    await copy(`SELECT 1 AS k, ${W} AS window_start, 1.0 AS v LIMIT 0`, 'zero-rows.parquet');
    const pair = async (type: string, a: string, b: string) => {
      const name = type.toLowerCase().replace(/\(.*$/, '');
      await copy(`SELECT 1 AS k, ${W} AS window_start, CAST('${a}' AS ${type}) AS v`, `${name}-a.parquet`);
      await copy(`SELECT 1 AS k, ${W} AS window_start, CAST('${b}' AS ${type}) AS v`, `${name}-b.parquet`);
    };
    await pair('BIGINT', '1234567890123456789', '1234567890123456788');
    // Parquet has no 128-bit integer (DuckDB writes HUGEINT as DOUBLE); DECIMAL(38, 0) keeps 38 digits.
    const digits = (last: string) => `CAST('1234567890123456789012345678901234567${last}' AS DECIMAL(38,0))`;
    await copy(`SELECT 1 AS k, ${W} AS window_start, ${digits('8')} AS v`, 'decimal38-a.parquet');
    await copy(`SELECT 1 AS k, ${W} AS window_start, ${digits('7')} AS v`, 'decimal38-b.parquet');
    await pair('UBIGINT', '18446744073709551615', '18446744073709551614');
    await pair('DECIMAL(38,10)', '12345678901234567890.0000000001', '12345678901234567890.0000000002');
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}
