import { DOUBLE } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ksTwoSamplePValue } from '../../src/drift/ks-pvalue.js';
import { Buckets, mergeOverlapping } from '../../src/drift/numeric/buckets.js';
import {
  chooseTransform,
  compareNumericColumn,
  measureColumns,
  type NumericComparison,
} from '../../src/drift/numeric/index.js';
import { Session, TableWriter } from '../../src/io/index.js';
import { closeRel, ksFixtures, type NumericCase } from './fixtures.js';
import { sample } from './sample-spec.js';

let session: Session;
beforeAll(async () => {
  session = await Session.open({ threads: 2 });
});
afterAll(() => session.close());

async function load(table: string, values: (number | null)[]): Promise<void> {
  const writer = await TableWriter.create(session, table, [{ name: 'x', type: DOUBLE }]);
  writer.appendColumns([values], values.length);
  writer.close();
}

async function compare(
  train: (number | null)[],
  prod: (number | null)[],
  bucketsPerUnit?: number,
  singlePartition = false,
): Promise<NumericComparison> {
  await load('t', train);
  await load('p', prod);
  const stats = (await measureColumns(session, '"t"', ['x'])).get('x')!;
  const transform = chooseTransform(stats, train.length + prod.length, bucketsPerUnit);
  return compareNumericColumn({
    session,
    relations: { train: '"t"', prod: '"p"' },
    column: 'x',
    rows: { train: train.length, prod: prod.length },
    transform,
    options: { psiBins: 10, psiEpsilon: 1e-4, singlePartition },
  });
}

function checkAgainstScipy(c: NumericCase, result: NumericComparison): void {
  expect(result.ks).not.toBeNull();
  const ks = result.ks!;
  // D exactly as SciPy forms it (same floating-point operations), then SciPy's lattice rounding.
  expect(Math.abs(ks.d - c.raw_statistic)).toBeLessThanOrEqual(1e-12);
  expect(ks.sign).toBe(c.statistic_sign);
  const p = ksTwoSamplePValue(c.n_train, c.n_prod, ks.d);
  expect(Math.abs(p.statistic - c.statistic)).toBeLessThanOrEqual(1e-12);
  expect(p.method).toBe(c.method);
  expect(closeRel(p.pvalue, c.pvalue, 1e-6, 1e-300)).toBe(true);
  expect(closeRel(result.wasserstein!, c.wasserstein, 1e-9, 1e-15)).toBe(true);
  expect(closeRel(result.psi!, c.psi, 1e-9, 1e-15)).toBe(true);
  // -0 and 0 are the same value; the engine reports 0.
  expect(result.train.quantiles).toEqual(c.quantiles_train.map((q) => q + 0));
  expect(result.prod.quantiles).toEqual(c.quantiles_prod.map((q) => q + 0));
  expect(closeRel(result.train.mean!, c.mean_train, 1e-9, 1e-12)).toBe(true);
  expect(closeRel(result.prod.mean!, c.mean_prod, 1e-9, 1e-12)).toBe(true);
  if (c.std_train !== null) expect(closeRel(result.train.std!, c.std_train, 1e-9, 1e-12)).toBe(true);
  if (c.std_prod !== null) expect(closeRel(result.prod.std!, c.std_prod, 1e-9, 1e-12)).toBe(true);
}

describe('numeric ECDF comparison in DuckDB vs SciPy', () => {
  it.each(ksFixtures.numeric_cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const result = await compare(sample(c.train), sample(c.prod));
    checkAgainstScipy(c, result);
  });
});

describe('bucketing only changes the work, never the answer', () => {
  const cases = ksFixtures.numeric_cases.filter((c) => c.n_train >= 1000 && c.n_train <= 10000).slice(0, 6);
  it.each(cases.map((c) => [c.name, c] as const))('%s with coarse and fine buckets', async (_name, c) => {
    const train = sample(c.train);
    const prod = sample(c.prod);
    const coarse = await compare(train, prod, 1);
    const fine = await compare(train, prod, 2 ** 20);
    checkAgainstScipy(c, coarse);
    checkAgainstScipy(c, fine);
    expect(coarse.work.refinedRows).toBeGreaterThan(fine.work.refinedRows);
  });

  it.each(cases.slice(0, 3).map((c) => [c.name, c] as const))(
    '%s ranked in a single partition',
    async (_n, c) => {
      const single = await compare(sample(c.train), sample(c.prod), undefined, true);
      checkAgainstScipy(c, single);
      expect(single.work.refinedRows).toBe(c.n_train + c.n_prod);
    },
  );

  it('also in a single partition with missing and infinite values', async () => {
    for (const name of ['nulls and NaN are missing', 'infinities are ordered values']) {
      const c = ksFixtures.numeric_cases.find((x) => x.name === name)!;
      checkAgainstScipy(c, await compare(sample(c.train), sample(c.prod), undefined, true));
    }
  });
});

describe('log-scale buckets for positive right-skewed features', () => {
  it('picks the log scale and agrees with ranking everything, even with values <= 0 on one side', async () => {
    const c = ksFixtures.numeric_cases.find((x) => x.name === 'cubic 5000 vs 4000')!;
    const train = sample(c.train);
    const stats = { mean: 25, std: 28, min: 1e-9, logMean: -1.5, logStd: 1.2 };
    expect(chooseTransform(stats, 10000).scale).toBe('log');
    expect(chooseTransform({ ...stats, min: 0 }, 10000).scale).toBe('linear');
    const prod = [...sample(c.prod), 0, 0, -3, -0.5, -0.5, Number.NEGATIVE_INFINITY];
    const bucketed = await compare(train, prod);
    const single = await compare(train, prod, undefined, true);
    expect(bucketed.work.refinedRows).toBeLessThan(single.work.refinedRows);
    expect(bucketed.ks).toEqual(single.ks);
    expect(bucketed.wasserstein).toBeCloseTo(single.wasserstein!, 12);
    expect(bucketed.psi).toBe(single.psi);
    expect(bucketed.prod.quantiles).toEqual(single.prod.quantiles);
    expect(bucketed.prod.min).toBe(-3);
  });
});

describe('missing, infinite and degenerate values', () => {
  it('counts NULL, NaN and ±Infinity per side and keeps ±Infinity in the KS ordering', async () => {
    const c = ksFixtures.numeric_cases.find((x) => x.name === 'infinities are ordered values')!;
    const result = await compare(sample(c.train), sample(c.prod));
    expect(result.train).toMatchObject({ negInf: 1, posInf: 2, finite: 4, nulls: 0, nan: 0 });
    expect(result.prod).toMatchObject({ negInf: 2, posInf: 1, finite: 3 });
    const m = ksFixtures.numeric_cases.find((x) => x.name === 'nulls and NaN are missing')!;
    const missing = await compare(sample(m.train), sample(m.prod));
    expect(missing.train).toMatchObject({ rows: 7, nulls: 2, nan: 1, finite: 4 });
    expect(missing.prod).toMatchObject({ rows: 5, nulls: 1, nan: 1, finite: 3 });
  });

  it('cannot compare when one side has no values, but still summarises both', async () => {
    const result = await compare([1, 2, 3], [null, Number.NaN]);
    expect(result.ks).toBeNull();
    expect(result.wasserstein).toBeNull();
    expect(result.prod).toMatchObject({ rows: 2, nulls: 1, nan: 1, finite: 0, mean: null });
    expect(result.train.mean).toBe(2);
  });

  it('flags constant features and keeps D well defined', async () => {
    const same = await compare([4, 4, 4], [4, 4]);
    expect(same.constant).toBe(true);
    expect(same.ks!.d).toBe(0);
    expect(same.wasserstein).toBe(0);
    const differ = await compare([4, 4, 4], [5, 5]);
    expect(differ.constant).toBe(true);
    expect(differ.ks!.d).toBe(1);
    expect(differ.wasserstein).toBe(1);
    expect(differ.train.std).toBe(0);
  });

  it('recomputes the std directly when the values sit far from the training centre', async () => {
    const result = await compare([0, 1, 2, 3], [1e12, 1e12 + 1, 1e12 + 2]);
    expect(result.prod.std).toBeCloseTo(1, 9);
    expect(result.prod.mean).toBe(1e12 + 1);
  });
});

/** D, sign and W1 straight from the definition, for small samples (a reference, not the engine). */
function reference(a: number[], b: number[]): { d: number; w1: number } {
  const values = [...new Set([...a, ...b])].sort((x, y) => x - y);
  const cdf = (xs: number[], v: number) => xs.filter((x) => x <= v).length / xs.length;
  let d = 0;
  let w1 = 0;
  values.forEach((v, i) => {
    const diff = cdf(a, v) - cdf(b, v);
    d = Math.max(d, Math.abs(diff));
    if (i + 1 < values.length) w1 += Math.abs(diff) * (values[i + 1]! - v);
  });
  return { d, w1 };
}

describe('properties (fast-check)', () => {
  const value = fc.oneof(
    fc.integer({ min: -20, max: 20 }).map((i) => i / 4),
    fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }),
  );
  const samples = fc.tuple(
    fc.array(value, { minLength: 1, maxLength: 120 }),
    fc.array(value, { minLength: 1, maxLength: 120 }),
  );

  it('D and W1 match the definition for any bucket resolution', async () => {
    await fc.assert(
      fc.asyncProperty(samples, fc.constantFrom(1, 16, 1024, 2 ** 20), async ([a, b], k) => {
        const result = await compare(a, b, k);
        const expected = reference(a, b);
        expect(Math.abs(result.ks!.d - expected.d)).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(result.wasserstein! - expected.w1)).toBeLessThanOrEqual(
          1e-9 * Math.max(1, expected.w1),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('D is symmetric, within [0, 1], and invariant to row order', async () => {
    await fc.assert(
      fc.asyncProperty(samples, async ([a, b]) => {
        const ab = await compare(a, b);
        const ba = await compare(b, a);
        const shuffled = await compare(
          [...a].reverse(),
          [...b].sort((x, y) => x - y),
        );
        expect(ab.ks!.d).toBeGreaterThanOrEqual(0);
        expect(ab.ks!.d).toBeLessThanOrEqual(1);
        expect(ba.ks!.d).toBe(ab.ks!.d);
        // (The sign is not antisymmetric: when max(F1-F2) = max(F2-F1), SciPy reports +1 both ways.)
        expect(ba.wasserstein).toBeCloseTo(ab.wasserstein!, 9);
        expect(shuffled.ks).toEqual(ab.ks);
        expect(shuffled.wasserstein).toBeCloseTo(ab.wasserstein!, 9);
      }),
      { numRuns: 25 },
    );
  });

  it('a snapshot compared with itself has D = 0, W1 = 0 and PSI = 0', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 300 }), async (a) => {
        const result = await compare(a, a);
        expect(result.ks!.d).toBe(0);
        expect(result.wasserstein).toBe(0);
        expect(result.psi).toBe(0);
      }),
      { numRuns: 20 },
    );
  });
});

describe('merging buckets whose values overlap', () => {
  it('merges runs of overlapping buckets into disjoint groups and keeps ±Infinity apart', () => {
    // Keys in order; bucket 2's range reaches into bucket 3's, as non-monotone rounding could do.
    const ranges: [number, number, number, number][] = [
      [-8e18, -Infinity, -Infinity, 1],
      [10, 1, 2, 3],
      [11, 3, 5, 2],
      [12, 4.5, 6, 4],
      [13, 7, 8, 1],
      [8e18, Infinity, Infinity, 2],
    ];
    const raw = new Buckets(ranges.length);
    let cumulative = 0;
    ranges.forEach(([key, lo, hi, k], i) => {
      raw.key[i] = key;
      raw.lo[i] = lo;
      raw.hi[i] = hi;
      raw.k1[i] = k;
      raw.o1[i] = cumulative;
      cumulative += k;
    });
    const groups = mergeOverlapping(raw, false);
    expect(Array.from(groups.key)).toEqual([-8e18, 10, 11, 13, 8e18]);
    expect(Array.from(groups.k1)).toEqual([1, 3, 6, 1, 2]);
    expect([groups.lo[2], groups.hi[2], groups.first[2], groups.last[2], groups.o1[2]]).toEqual([
      3, 6, 2, 3, 4,
    ]);
    const all = mergeOverlapping(raw, true);
    expect(Array.from(all.key)).toEqual([-8e18, 10, 8e18]);
    expect(Array.from(all.k1)).toEqual([1, 10, 2]);
  });
});
