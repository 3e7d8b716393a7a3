// Drift over time (`drift --by`): a generated month of hive-partitioned production files with a
// shift starting on a known day. Per-day results, the first drifted day, the verdict corrected over
// all chunks, and the training snapshot read once however many chunks there are.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { Ajv } from 'ajv';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runDriftOverTime } from '../../src/drift/index.js';
import { InputError, UsageError } from '../../src/errors.js';
import { tempDir } from '../e2e/cli.js';

const DAYS = 30;
const ROWS_PER_DAY = 1000;
/** `amount` moves by one standard deviation from this day on; `plan` never changes. */
const DRIFT_DAY = 18;

let dir: string;
beforeAll(async () => {
  dir = tempDir();
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const u = (k: number) => `((hash(i * 16 + ${k}) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`;
  const normal = (k: number) => `(sqrt(-2 * ln(${u(k)})) * cos(2 * pi() * ${u(k + 1)}))`;
  const plan = (k: number) => `['basic', 'plus', 'pro'][1 + (hash(i * 16 + ${k}) % 3)::INTEGER]`;
  await c.run(`COPY (SELECT ${normal(0)} * 10 + 50 AS amount, ${plan(5)} AS plan FROM range(5000) t(i))
               TO '${join(dir, 'train.parquet')}'`);
  await c.run(`COPY (SELECT DATE '2026-01-01' + (i // ${ROWS_PER_DAY})::INTEGER AS day,
                 ${normal(8)} * 10 + 50 + CASE WHEN i // ${ROWS_PER_DAY} >= ${DRIFT_DAY - 1} THEN 10 ELSE 0 END AS amount,
                 ${plan(13)} AS plan FROM range(${DAYS * ROWS_PER_DAY}) t(i))
               TO '${join(dir, 'prod')}' (FORMAT parquet, PARTITION_BY (day))`);
  c.closeSync();
  db.closeSync();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** SQL statements run while `work` runs that name the training snapshot's view. */
async function trainingReads<T>(work: () => Promise<T>): Promise<{ result: T; reads: string[] }> {
  const reads: string[] = [];
  for (const method of ['run', 'runAndReadAll', 'stream'] as const) {
    const original = DuckDBConnection.prototype[method] as (
      this: DuckDBConnection,
      ...a: unknown[]
    ) => unknown;
    vi.spyOn(DuckDBConnection.prototype, method).mockImplementation(function (this: DuckDBConnection, ...a) {
      if (typeof a[0] === 'string' && a[0].includes('"drift_train"')) reads.push(a[0]);
      return original.apply(this, a) as never;
    });
  }
  return { result: await work(), reads };
}

const options = () => ({ trainPath: join(dir, 'train.parquet'), prodPath: join(dir, 'prod') });

describe('drift --by day over a month of hive-partitioned files', () => {
  it('tests each day, finds the first drifted day, and corrects over all chunks', async () => {
    const result = await runDriftOverTime({ ...options(), by: 'day' });
    const chunks = result.chunks!;
    expect(chunks.by).toBe('day');
    expect(chunks.column).toBe('day');
    expect(chunks.keys).toHaveLength(DAYS);
    expect(chunks.keys[0]).toBe('2026-01-01');
    expect(chunks.keys[DAYS - 1]).toBe('2026-01-30');
    expect(chunks.rows.every((n) => n === ROWS_PER_DAY)).toBe(true);
    const amount = chunks.features.find((s) => s.name === 'amount')!;
    const plan = chunks.features.find((s) => s.name === 'plan')!;
    expect(amount.first_drift).toBe(`2026-01-${DRIFT_DAY}`);
    expect(amount.drift).toEqual(chunks.keys.map((_, i) => i >= DRIFT_DAY - 1));
    expect(plan.first_drift).toBeNull();
    expect(plan.test).toBe('chi2');
    // One family: two distribution tests per day (the null rates are 0 on both sides: no test).
    expect(result.summary.tests).toBe(2 * DAYS);
    expect(result.verdict).toBe('fail');
    const top = result.features.find((f) => f.name === 'amount')!;
    expect(top.drift).toBe(true);
    expect(top.prod.rows).toBe(ROWS_PER_DAY);
    expect(top.notes[0]).toBe(
      `first drifted in chunk "2026-01-${DRIFT_DAY}"; drifted in ${DAYS - DRIFT_DAY + 1} of ${DAYS} chunks`,
    );
    const schema = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../schema/drift-result.schema.json'), 'utf8'),
    );
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(JSON.parse(JSON.stringify(result)))).toBe(true);
  });

  it('reads the training snapshot once, whether production has 30 chunks or 5', async () => {
    const daily = await trainingReads(() => runDriftOverTime({ ...options(), by: 'day' }));
    vi.restoreAllMocks();
    const weekly = await trainingReads(() => runDriftOverTime({ ...options(), by: 'week' }));
    expect(daily.result.chunks!.keys).toHaveLength(30);
    expect(weekly.result.chunks!.keys).toEqual([
      '2025-12-29',
      '2026-01-05',
      '2026-01-12',
      '2026-01-19',
      '2026-01-26',
    ]);
    // The week of Monday 12 January holds one shifted day of seven: D about 0.05, under the floor.
    expect(weekly.result.chunks!.features.find((s) => s.name === 'amount')!.first_drift).toBe('2026-01-19');
    // Register the view, read its schema and first row, count it, copy it into a table: the
    // chunks compare with that table, so the statements naming the snapshot do not grow with them.
    expect(daily.reads.length).toBe(weekly.reads.length);
    expect(
      daily.reads.filter((sql) => /CREATE OR REPLACE TEMP TABLE "drift_train_data"/.test(sql)),
    ).toHaveLength(1);
    // Apart from that copy, only registration and row counts (Parquet metadata) name the snapshot.
    const others = daily.reads.filter((sql) => !sql.includes('"drift_train_data"'));
    for (const sql of others)
      expect(sql).toMatch(/^(CREATE OR REPLACE VIEW "drift_train"|SELECT (\*|count\(\*\)) FROM)/);
  });

  it('chunks by file and by a column, and refuses a --by that names nothing', async () => {
    const byFile = await runDriftOverTime({ ...options(), by: 'file', features: ['amount'] });
    expect(byFile.chunks!.keys).toHaveLength(DAYS);
    expect(byFile.chunks!.keys[0]).toMatch(/day=2026-01-01/);
    const byColumn = await runDriftOverTime({ ...options(), by: 'plan', features: ['amount'] });
    expect(byColumn.chunks!.keys).toEqual(['basic', 'plus', 'pro']);
    await expect(runDriftOverTime({ ...options(), by: 'hour' })).rejects.toThrow(UsageError);
    await expect(runDriftOverTime({ ...options(), by: 'day', time: 'when' })).rejects.toThrow(InputError);
  });
});
