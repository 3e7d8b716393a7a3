// A wide diff (more features than the one-statement path takes) is built in two steps and read
// in several passes; per feature it must say exactly what the one-statement path says.
import { afterEach, describe, expect, it } from 'vitest';
import { type DiffOptions, diffTables } from '../../src/diff/index.js';
import type { DiffResult } from '../../src/diff/types.js';
import type { Session } from '../../src/io/index.js';
import { sessionWith } from '../helpers/session.js';

let session: Session | undefined;
afterEach(() => {
  session?.close();
  session = undefined;
});

const FEATURES = 90; // above the 64-feature one-statement limit
const ROWS = 60;

/** Feature j of row i on one side, deterministic: doubles (NaN, ±Inf), big integers, text, booleans, NULLs. */
function featureSql(j: number, side: 'l' | 'r'): string {
  const h = `hash(i, ${j})`;
  const shift = side === 'r' ? `(CASE WHEN hash(i, ${j}, 1) % 4 = 0 THEN 1 ELSE 0 END)` : '0';
  const value = (() => {
    switch (j % 5) {
      case 0:
        return `(${h} % 1000)::DOUBLE / 8 + ${shift} * 1e-3`;
      case 1:
        return `1234567890123456000::BIGINT + (${h} % 1000)::BIGINT + ${shift}`;
      case 2:
        return `CASE WHEN ${shift} = 1 THEN 'x' ELSE '' END || (${h} % 13)::VARCHAR`;
      case 3:
        return `CASE WHEN ${h} % 11 = 0 THEN 'NaN'::DOUBLE WHEN ${h} % 13 = 0 THEN 'Infinity'::DOUBLE ELSE ${shift}::DOUBLE END`;
      default:
        return `(${h} % 2 = 0) <> (${shift} = 1)`;
    }
  })();
  // NULLs on one side only now and then, on both sides now and then.
  const nulls = side === 'r' ? `${h} % 9 = 0 OR hash(i, ${j}, 2) % 17 = 0` : `${h} % 9 = 0`;
  return `CASE WHEN ${nulls} THEN NULL ELSE ${value} END AS f${j}`;
}

function sideSql(side: 'l' | 'r'): string {
  const features = Array.from({ length: FEATURES }, (_, j) => featureSql(j, side)).join(', ');
  // Rows only on one side: the left lacks i = 3 (mod 20), the right lacks i = 7 (mod 20).
  const missing = side === 'l' ? 3 : 7;
  return `SELECT 'k' || (i % 7) AS k, TIMESTAMP '2026-01-01' + INTERVAL (i) MINUTE AS window_start, ${features}
          FROM range(${ROWS}) t(i) WHERE i % 20 <> ${missing}`;
}

function options(left: string, right: string): DiffOptions {
  return {
    command: 'diff',
    left: { table: left, label: 'left', source: 'l.parquet', describe: '--left l.parquet' },
    right: { table: right, label: 'right', source: 'r.parquet', describe: '--right r.parquet' },
    keyColumns: ['k'],
    tolerance: { abs: 0, rel: 0 },
  };
}

describe('a wide diff', () => {
  it('gives each feature the same counts and maxima as diffs of fewer features at a time', async () => {
    session = await sessionWith({ l: sideSql('l'), r: sideSql('r') });
    const wide = await diffTables(session, options('l', 'r'));
    expect(wide.features).toHaveLength(FEATURES);

    const parts: DiffResult[] = [];
    for (let start = 0; start < FEATURES; start += 30) {
      const columns = ['k', 'window_start', ...Array.from({ length: 30 }, (_, j) => `f${start + j}`)].join(
        ', ',
      );
      await session.run(`CREATE OR REPLACE VIEW l${start} AS SELECT ${columns} FROM l`);
      await session.run(`CREATE OR REPLACE VIEW r${start} AS SELECT ${columns} FROM r`);
      parts.push(await diffTables(session, options(`l${start}`, `r${start}`)));
    }
    const byName = (features: DiffResult['features']) =>
      [...features].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    expect(byName(wide.features)).toEqual(byName(parts.flatMap((p) => p.features)));
    // Real differences of every kind were there to find.
    expect(wide.features.filter((f) => f.mismatches > 0).length).toBeGreaterThan(FEATURES * 0.8);
    expect(wide.features.some((f) => f.null_mismatches > 0)).toBe(true);

    // Rows: on one side only whatever the features; a row differs when any part says it does.
    for (const part of parts) {
      expect(part.summary.only_left).toBe(wide.summary.only_left);
      expect(part.summary.only_right).toBe(wide.summary.only_right);
      expect(part.summary.windows).toBe(wide.summary.windows);
    }
    const rowKey = (s: DiffResult['samples'][number]) => JSON.stringify([s.key, s.window]);
    const wideDiffs = new Map(wide.samples.map((s) => [rowKey(s), s.differences]));
    for (const part of parts) {
      for (const sample of part.samples.filter((s) => wideDiffs.has(rowKey(s)))) {
        const names = new Set(sample.differences.map((d) => d.feature));
        expect(wideDiffs.get(rowKey(sample))!.filter((d) => names.has(d.feature))).toEqual(
          sample.differences,
        );
      }
    }
    expect(wide.summary.mismatched).toBeGreaterThanOrEqual(
      Math.max(...parts.map((p) => p.summary.mismatched)),
    );
  });
});
