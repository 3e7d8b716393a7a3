import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type DiffOptions, diffTables } from '../../src/diff/index.js';
import { InputError, UsageError } from '../../src/errors.js';
import type { Session } from '../../src/io/index.js';
import { sessionWith } from '../helpers/session.js';

let session: Session | undefined;
afterEach(() => {
  session?.close();
  session = undefined;
});

const W = "TIMESTAMP '2026-01-01 10:00:00'";
const W2 = "TIMESTAMP '2026-01-01 10:05:00'";

function options(overrides: Partial<DiffOptions> = {}): DiffOptions {
  return {
    command: 'diff',
    left: { table: 'l', label: 'left', source: 'l.parquet', describe: '--left l.parquet' },
    right: { table: 'r', label: 'right', source: 'r.parquet', describe: '--right r.parquet' },
    keyColumns: ['k'],
    ...overrides,
  };
}

async function diff(left: string, right: string, overrides: Partial<DiffOptions> = {}) {
  session = await sessionWith({ l: left, r: right });
  return diffTables(session, options(overrides));
}

describe('diffTables', () => {
  it('passes when both sides are equal up to float summation noise', async () => {
    const result = await diff(
      `SELECT * FROM (VALUES ('a', ${W}, 3, 0.1::DOUBLE + 0.2::DOUBLE), ('b', ${W}, 1, 5.0)) t(k, window_start, n, total)`,
      `SELECT * FROM (VALUES ('a', ${W}, 3.0, 0.3), ('b', ${W}, 1.0, 5.0)) t(k, window_start, n, total)`,
    );
    expect(result.verdict).toBe('pass');
    expect(result.summary).toMatchObject({
      windows: 2,
      matched: 2,
      mismatched: 0,
      only_left: 0,
      only_right: 0,
    });
    const total = result.features.find((f) => f.name === 'total')!;
    expect(total.max_abs_diff).toBeGreaterThan(0);
    expect(total.max_abs_diff).toBeLessThan(1e-15);
    expect(total.mismatches).toBe(0);
  });

  it('classifies mismatches, only-left and only-right rows and names the features', async () => {
    const result = await diff(
      `SELECT * FROM (VALUES ('a', ${W}, 3), ('a', ${W2}, 1), ('b', ${W}, 2)) t(k, window_start, n)`,
      `SELECT * FROM (VALUES ('a', ${W}, 4), ('b', ${W}, 2), ('c', ${W}, 7)) t(k, window_start, n)`,
    );
    expect(result.verdict).toBe('fail');
    expect(result.summary).toMatchObject({
      windows: 4,
      matched: 1,
      mismatched: 1,
      only_left: 1,
      only_right: 1,
    });
    expect(result.summary.mismatch_rate).toBeCloseTo(0.75);
    expect(result.features).toEqual([
      expect.objectContaining({ name: 'n', compared: 2, mismatches: 1, max_abs_diff: 1, max_rel_diff: 0.25 }),
    ]);
    expect(result.samples.map((s) => [s.key.k, s.status])).toEqual([
      ['a', 'mismatch'],
      ['a', 'only_left'],
      ['c', 'only_right'],
    ]);
    expect(result.samples[0]!.differences).toEqual([
      { feature: 'n', left: 3, right: 4, abs_diff: 1, rel_diff: 0.25 },
    ]);
    expect(result.top_keys[0]).toEqual({
      key: { k: 'a' },
      mismatched_windows: 1,
      only_left: 1,
      only_right: 0,
      features: ['n'],
    });
  });

  it('treats NULL = NULL and NaN = NaN as equal but NULL vs 0 as a mismatch', async () => {
    const result = await diff(
      `SELECT * FROM (VALUES ('a', ${W}, NULL::DOUBLE), ('b', ${W}, 'NaN'::DOUBLE), ('c', ${W}, NULL::DOUBLE), ('d', ${W}, 'inf'::DOUBLE)) t(k, window_start, x)`,
      `SELECT * FROM (VALUES ('a', ${W}, NULL::DOUBLE), ('b', ${W}, 'NaN'::DOUBLE), ('c', ${W}, 0::DOUBLE), ('d', ${W}, 1e308::DOUBLE)) t(k, window_start, x)`,
    );
    const x = result.features[0]!;
    expect(x.mismatches).toBe(2);
    expect(x.null_mismatches).toBe(1);
    expect(result.samples.map((s) => s.key.k)).toEqual(['c', 'd']);
    expect(result.samples[1]!.differences[0]).toMatchObject({ left: 'Infinity', right: 1e308 });
  });

  it('compares integers and decimals exactly and holds the exact difference against the tolerance', async () => {
    const cases: [string, string, string, number][] = [
      ['BIGINT', '1234567890123456789', '1234567890123456788', 1],
      ['HUGEINT', '170141183460469231731687303715884105727', '170141183460469231731687303715884105726', 1],
      ['UBIGINT', '18446744073709551615', '18446744073709551614', 1],
      ['DECIMAL(38,10)', '123456789012345678.0000000001', '123456789012345678.0000000002', 1e-10],
    ];
    for (const [type, a, b, gap] of cases) {
      const side = (v: string) => `SELECT 'a' AS k, ${W} AS window_start, CAST('${v}' AS ${type}) AS v`;
      const strict = await diff(side(a), side(b), { tolerance: { abs: 0, rel: 0 } });
      expect(strict.verdict, type).toBe('fail');
      expect(strict.features[0]!.max_abs_diff, type).toBeCloseTo(gap, 20);
      expect(strict.samples[0]!.differences[0]!.abs_diff, type).toBeCloseTo(gap, 20);
      session?.close();
      const loose = await diff(side(a), side(b), { tolerance: { abs: gap, rel: 0 } });
      expect(loose.verdict, type).toBe('pass');
      session?.close();
      session = undefined;
    }
    // A BIGINT against a DECIMAL is exact too; against a DOUBLE it is compared as doubles.
    const mixed = await diff(
      `SELECT 'a' AS k, ${W} AS window_start, 9007199254740993::BIGINT AS v`,
      `SELECT 'a' AS k, ${W} AS window_start, 9007199254740992.5::DECIMAL(20,1) AS v`,
      { tolerance: { abs: 0.4, rel: 0 } },
    );
    expect(mixed.verdict).toBe('fail');
    expect(mixed.features[0]!.max_abs_diff).toBe(0.5);
  });

  it('applies absolute, relative and per-feature tolerances', async () => {
    const left = `SELECT * FROM (VALUES ('a', ${W}, 100.0, 100.0)) t(k, window_start, x, y)`;
    const right = `SELECT * FROM (VALUES ('a', ${W}, 100.01, 100.01)) t(k, window_start, x, y)`;
    expect((await diff(left, right)).verdict).toBe('fail');
    session?.close();
    const relaxed = await diff(left, right, { tolerance: { abs: 0.02, rel: 0 } });
    expect(relaxed.verdict).toBe('pass');
    session?.close();
    const perFeature = await diff(left, right, { featureTolerances: { x: { abs: 0, rel: 1e-3 } } });
    expect(perFeature.features.map((f) => [f.name, f.mismatches])).toEqual([
      ['x', 0],
      ['y', 1],
    ]);
    expect(perFeature.tolerance.per_feature).toEqual({ x: { abs: 0, rel: 1e-3 } });
  });

  it('compares strings and booleans exactly and timestamps at microsecond precision', async () => {
    const result = await diff(
      `SELECT * FROM (VALUES ('a', ${W}, 'X', true, TIMESTAMP '2026-01-01 10:00:00.000001')) t(k, window_start, s, b, t)`,
      `SELECT * FROM (VALUES ('a', ${W}, 'x', true, TIMESTAMP_NS '2026-01-01 10:00:00.000001999')) t(k, window_start, s, b, t)`,
    );
    expect(result.features.map((f) => [f.name, f.mismatches])).toEqual([
      ['b', 0],
      ['s', 1],
      ['t', 0],
    ]);
  });

  it('sets duplicated (key, window) rows aside instead of fanning out the join', async () => {
    const result = await diff(
      `SELECT * FROM (VALUES ('a', ${W}, 1), ('a', ${W}, 1), ('b', ${W}, 2)) t(k, window_start, n)`,
      `SELECT * FROM (VALUES ('a', ${W}, 1), ('b', ${W}, 2)) t(k, window_start, n)`,
    );
    expect(result.summary).toMatchObject({ windows: 2, matched: 1, only_right: 1, duplicates: 2 });
    expect(result.duplicates.left).toEqual({
      groups: 1,
      rows: 2,
      examples: [{ key: { k: 'a' }, window: { window_start: '2026-01-01T10:00:00.000Z' }, count: 2 }],
    });
    expect(result.verdict).toBe('fail');
    expect(result.reasons.join(' ')).toMatch(/duplicated/);
  });

  it('finds duplicates on rows of one side only, on both sides, and with NULL keys', async () => {
    // The sides are joined whole first; the join's counts must show every kind of duplicate.
    const result = await diff(
      `SELECT * FROM (VALUES ('a', ${W}, 1), ('c', ${W}, 3), ('c', ${W}, 4), (NULL, ${W}, 5), (NULL, ${W}, 5), ('d', ${W}, 6)) t(k, window_start, n)`,
      `SELECT * FROM (VALUES ('a', ${W}, 1), ('a', ${W2}, 2), ('d', ${W}, 6), ('d', ${W}, 6), ('e', ${W}, 7)) t(k, window_start, n)`,
    );
    expect(result.summary).toMatchObject({
      left_rows: 6,
      right_rows: 5,
      windows: 4,
      matched: 1,
      only_left: 1,
      only_right: 2,
      duplicates: 6,
    });
    expect(result.duplicates.left.examples.map((e) => [e.key.k, e.count])).toEqual([
      [null, 2],
      ['c', 2],
    ]);
    expect(result.duplicates.right.examples.map((e) => [e.key.k, e.count])).toEqual([['d', 2]]);
    expect(result.samples.map((s) => [s.key.k, s.status])).toEqual([
      ['a', 'only_right'],
      ['d', 'only_left'],
      ['e', 'only_right'],
    ]);
  });

  it('reports features present on one side only and type differences', async () => {
    const result = await diff(
      `SELECT * FROM (VALUES ('a', ${W}, 1, 'x', 5)) t(k, window_start, n, s, only_l)`,
      `SELECT * FROM (VALUES ('a', ${W}, 1, 7, 5)) t(k, window_start, n, s, only_r)`,
    );
    expect(result.features.map((f) => [f.name, f.status])).toEqual([
      ['n', 'compared'],
      ['only_l', 'only_left'],
      ['only_r', 'only_right'],
      ['s', 'type_mismatch'],
    ]);
    expect(result.verdict).toBe('fail');
  });

  it('aligns on window_end too when both sides have it, and on composite keys with NULLs', async () => {
    const result = await diff(
      `SELECT * FROM (VALUES ('a', NULL, ${W}, ${W2}, 1)) t(k, k2, window_start, window_end, n)`,
      `SELECT * FROM (VALUES ('a', NULL, ${W}, ${W2}, 1)) t(k, k2, window_start, window_end, n)`,
      { keyColumns: ['k', 'k2'] },
    );
    expect(result.time_columns).toEqual(['window_start', 'window_end']);
    expect(result.summary.matched).toBe(1);
  });

  it('accepts a mismatch rate up to --max-mismatch-rate', async () => {
    const rows = (v: number) =>
      `SELECT 'k' || i AS k, ${W} AS window_start, CASE WHEN i = 0 THEN ${v} ELSE 1 END AS n FROM range(100) r(i)`;
    const result = await diff(rows(1), rows(2), { maxMismatchRate: 0.01 });
    expect(result.summary.mismatched).toBe(1);
    expect(result.verdict).toBe('pass');
  });

  it('names the side and lists its columns when a key or window column is missing', async () => {
    const attempt = diff(
      `SELECT * FROM (VALUES ('a', ${W}, 1)) t(k, window_start, n)`,
      `SELECT * FROM (VALUES ('a', ${W}, 1)) t(k, ts, n)`,
    );
    await expect(attempt).rejects.toThrow(InputError);
    await expect(attempt).rejects.toThrow(
      /--right r\.parquet has no window column "window_start"; its columns are: k VARCHAR, ts TIMESTAMP, n INTEGER/,
    );
  });

  it('rejects a --tol for a feature that does not exist', async () => {
    const table = `SELECT * FROM (VALUES ('a', ${W}, 1)) t(k, window_start, n)`;
    await expect(diff(table, table, { featureTolerances: { nope: { abs: 1, rel: 0 } } })).rejects.toThrow(
      UsageError,
    );
  });

  it('property: a table diffed with a shuffled copy of itself passes', async () => {
    session = await sessionWith({});
    const s = session;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.tuple(fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 50 }), fc.double({ noNaN: false })),
          {
            selector: ([k, w]) => `${k}|${w}`,
            maxLength: 30,
          },
        ),
        async (rows) => {
          await s.run('CREATE OR REPLACE TABLE l (k VARCHAR, window_start TIMESTAMP, x DOUBLE)');
          const appender = await s.connection.createAppender('l');
          for (const [k, w, x] of rows) {
            appender.appendVarchar(k);
            appender.appendValue(
              new (await import('@duckdb/node-api')).DuckDBTimestampValue(BigInt(w) * 60_000_000n),
            );
            appender.appendDouble(x);
            appender.endRow();
          }
          appender.closeSync();
          await s.run('CREATE OR REPLACE TABLE r AS SELECT * FROM l ORDER BY hash(k, x) DESC');
          if (rows.length === 0) {
            // Nothing compared is not agreement.
            await expect(diffTables(s, options())).rejects.toThrow(/nothing to compare/);
            return;
          }
          const result = await diffTables(s, options());
          expect(result.verdict).toBe('pass');
          expect(result.summary.matched).toBe(rows.length);
        },
      ),
      { numRuns: 25 },
    );
  });
});
