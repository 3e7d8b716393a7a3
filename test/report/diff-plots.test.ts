// The aggregated plot data of the diff result (src/diff/plot-data.ts): bounded, deterministic,
// and faithful to the rows it summarises.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { diffTables } from '../../src/diff/index.js';
import { MAX_SCATTER_ROWS, MIN_AGREEING_ROWS, pickBucket } from '../../src/diff/plot-data.js';
import type { Session } from '../../src/io/index.js';
import { sessionWith } from '../helpers/session.js';

let session: Session | undefined;
afterEach(() => {
  session?.close();
  session = undefined;
});

async function diff(left: string, right: string, keyColumns = ['k']) {
  session = await sessionWith({ l: left, r: right });
  return diffTables(session, {
    command: 'diff',
    left: { table: 'l', label: 'left', source: 'l.parquet', describe: '--left l.parquet' },
    right: { table: 'r', label: 'right', source: 'r.parquet', describe: '--right r.parquet' },
    keyColumns,
  });
}

// 2 days of 5-minute windows for 20 keys; the right side counts one more from day 2, 10:00 on.
const HOURLY_SKEW = `
  SELECT 'k' || (i % 20) AS k,
         TIMESTAMP '2026-01-01 00:00:00' + INTERVAL (i // 20 * 5) MINUTE AS window_start,
         (i % 7)::BIGINT AS n, (i % 13) * 1.5 AS amount
  FROM range(0, 20 * 576) t(i)`;
const SKEWED_RIGHT = `
  SELECT k, window_start,
         CASE WHEN window_start >= TIMESTAMP '2026-01-02 10:00:00' THEN n + 1 ELSE n END AS n, amount
  FROM (${HOURLY_SKEW})`;

describe('diff plot data', () => {
  it('picks the smallest bucket that keeps the timeline to a few hundred bars', () => {
    expect(pickBucket(0)).toEqual(['1 second', 1]);
    expect(pickBucket(86_400)).toEqual(['5 minutes', 300]);
    expect(pickBucket(7 * 86_400)).toEqual(['1 hour', 3600]);
    expect(pickBucket(90 * 86_400)).toEqual(['1 day', 86_400]);
    expect(pickBucket(1e12)[0]).toBe('100 years');
  });

  it('counts differing rows per time bucket, so the start of the skew is visible', async () => {
    const result = await diff(HOURLY_SKEW, SKEWED_RIGHT);
    const timeline = result.plots!.timeline!;
    expect(timeline.column).toBe('window_start');
    expect(timeline.bucket).toBe('15 minutes'); // 2 days: 5 min would be 576 bars
    expect(timeline.features).toEqual(['n']);
    const total = timeline.buckets.reduce((s, b) => s + b.windows, 0);
    expect(total).toBe(result.summary.windows);
    expect(timeline.buckets.reduce((s, b) => s + b.mismatched, 0)).toBe(result.summary.mismatched);
    const firstBad = timeline.buckets.find((b) => b.mismatched > 0)!;
    expect(firstBad.start).toBe('2026-01-02T10:00:00.000Z');
    expect(firstBad.feature_mismatches).toEqual([firstBad.mismatched]);
    expect(timeline.buckets.every((b, i, all) => i === 0 || all[i - 1]!.start < b.start)).toBe(true);
  });

  it('draws differing rows first, keeping room for agreeing ones, in a deterministic sample', async () => {
    const result = await diff(HOURLY_SKEW, SKEWED_RIGHT);
    const n = result.plots!.scatter.find((s) => s.feature === 'n')!;
    expect(n.rows).toBe(result.summary.windows);
    expect(n.mismatches).toBe(result.features.find((f) => f.name === 'n')!.mismatches);
    expect(n.mismatches).toBeGreaterThan(MAX_SCATTER_ROWS); // so the mismatching rows are sampled too
    expect(n.sampled_rows).toBe(MAX_SCATTER_ROWS);
    const drawn = (mismatch: boolean) =>
      n.points.filter((p) => p.mismatch === mismatch).reduce((sum, p) => sum + p.rows, 0);
    expect(drawn(true)).toBe(MAX_SCATTER_ROWS - MIN_AGREEING_ROWS);
    expect(drawn(false)).toBe(MIN_AGREEING_ROWS);
    expect(n.points.every((p) => (p.mismatch ? p.right === p.left + 1 : p.right === p.left))).toBe(true);
    // Identical pairs are merged: n takes 7 values, so 14 points stand for 2,000 rows.
    expect(n.points).toHaveLength(14);
    // A feature on which both sides agree would only draw the diagonal: it has no scatter.
    expect(result.plots!.scatter.map((s) => s.feature)).toEqual(['n']);

    const schema = JSON.parse(readFileSync('schema/diff-result.schema.json', 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(JSON.parse(JSON.stringify(result))) || validate.errors).toBe(true);

    session?.close();
    const again = await diff(HOURLY_SKEW, SKEWED_RIGHT);
    expect(again.plots).toEqual(result.plots);
  });

  it('fills up with agreeing rows when few rows differ, and stays within the limit', async () => {
    const left = `SELECT 'k' || i AS k, TIMESTAMP '2026-01-01' AS window_start, i * 0.37 AS v FROM range(10000) t(i)`;
    const right = `SELECT k, window_start, CASE WHEN k LIKE '%000' THEN v + 1 ELSE v END AS v FROM (${left})`;
    const result = await diff(left, right);
    const [v] = result.plots!.scatter;
    expect(v).toMatchObject({ feature: 'v', rows: 10_000, mismatches: 9, sampled_rows: MAX_SCATTER_ROWS });
    const differing = v!.points.filter((p) => p.mismatch);
    expect(differing.map((p) => p.right - p.left).every((d) => Math.abs(d - 1) < 1e-9)).toBe(true);
    expect(differing).toHaveLength(9); // k1000 … k9000
    // The agreeing rows are spread over the whole range, not the first rows in key order.
    const agreeing = v!.points.filter((p) => !p.mismatch).map((p) => p.left);
    expect(agreeing).toHaveLength(MAX_SCATTER_ROWS - 9);
    expect(Math.max(...agreeing)).toBeGreaterThan(3000);
    expect(Math.min(...agreeing)).toBeLessThan(100);
  });

  it('keeps all rows of a small table, leaves out NULL and non-finite pairs, and skips text', async () => {
    const result = await diff(
      `SELECT * FROM (VALUES ('a', 1, 1.0, 'x'), ('b', 1, 2.0, 'y'), ('c', 1, NULL, 'z'), ('d', 1, 'inf'::DOUBLE, 'w')) t(k, window_start, v, s)`,
      `SELECT * FROM (VALUES ('a', 1, 1.0, 'x'), ('b', 1, 5.0, 'y'), ('c', 1, 3.0, 'q'), ('d', 1, 1.0, 'w')) t(k, window_start, v, s)`,
    );
    // window_start is an integer here: no timeline.
    expect(result.plots!.timeline).toBeNull();
    expect(result.plots!.scatter).toEqual([
      {
        feature: 'v',
        rows: 2,
        mismatches: 1,
        sampled_rows: 2,
        points: [
          { left: 2, right: 5, mismatch: true, rows: 1 },
          { left: 1, right: 1, mismatch: false, rows: 1 },
        ],
      },
    ]);
  });
});
