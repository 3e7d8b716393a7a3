import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DOUBLE } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ksTwoSamplePValue } from '../../src/drift/ks-pvalue.js';
import { compareNumericColumn, type NumericComparison, SortPool } from '../../src/drift/numeric/index.js';
import { sortFiniteValues } from '../../src/drift/numeric/sort-values.js';
import { Session, TableWriter } from '../../src/io/index.js';
import { ROOT } from '../e2e/cli.js';
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
  pool = new SortPool(),
  sameFile = false,
): Promise<NumericComparison> {
  await load('t', train);
  await load('p', prod);
  try {
    return await compareNumericColumn(
      {
        session,
        relations: { train: '"t"', prod: '"p"' },
        rows: { train: train.length, prod: prod.length },
        sameFile,
      },
      'x',
      { psiBins: 10, psiEpsilon: 1e-4, pool },
    );
  } finally {
    await pool.close();
  }
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

describe('numeric ECDF comparison vs SciPy', () => {
  it.each(ksFixtures.numeric_cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const result = await compare(sample(c.train), sample(c.prod));
    checkAgainstScipy(c, result);
  });
});

/** The compiled worker script: worker threads run JavaScript, so this needs `npm run build` (npm test does). */
const WORKER = pathToFileURL(join(ROOT, 'dist/drift/numeric/sort-worker.js'));

describe('sorting on worker threads', () => {
  it('gives the same answers as sorting on the calling thread', async () => {
    expect(existsSync(WORKER), 'run `npm run build` first').toBe(true);
    for (const name of [
      'irwin-hall 9000 vs 10000',
      'infinities are ordered values',
      'zero-inflated 2500 vs 2500',
    ]) {
      const c = ksFixtures.numeric_cases.find((x) => x.name === name)!;
      const pool = new SortPool({ threads: 2, script: WORKER, minWorkerValues: 1 });
      const result = await compare(sample(c.train), sample(c.prod), pool);
      checkAgainstScipy(c, result);
      expect(result).toEqual(await compare(sample(c.train), sample(c.prod), new SortPool({ threads: 1 })));
    }
  });

  it('rejects what is pending when closed', async () => {
    const side = (values: number[]) => ({
      rows: values.length,
      nulls: 0,
      nan: 0,
      negInf: 0,
      posInf: 0,
      finite: Float64Array.from(values),
    });
    const pool = new SortPool({ threads: 1, script: WORKER, minWorkerValues: 1 });
    // One thread: this pool works on the calling thread, so the order of the awaits is the order of the work.
    const sorted = await pool.side(side(Array.from({ length: 100 }, (_, i) => 100 - i)));
    expect(Array.from(sorted.values.finite)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(sorted.summary).toMatchObject({ min: 1, max: 100, mean: 50.5, quantiles: [1, 25, 50, 75, 99] });
    const pending = new SortPool({ threads: 2, script: WORKER, minWorkerValues: 1 });
    const sorting = pending.side(side([3, 1, 2]));
    const queued = [
      pending.side(side([2, 1])),
      pending.walk(side([5]), side([4]), { psiBins: 2, psiEpsilon: 1e-4 }),
    ];
    const all = Promise.allSettled([sorting, ...queued]);
    await pending.close();
    const settled = await all;
    expect(settled.map((s) => (s.status === 'rejected' ? String(s.reason) : s.status))).toEqual(
      Array(3).fill('Error: the sort pool was closed'),
    );
  });
});

describe('sortFiniteValues', () => {
  const cases: Record<string, () => number[]> = {
    'heavy ties': () => Array.from({ length: 5000 }, (_, i) => (i * 7919) % 3),
    'an outlier far out': () => [...Array.from({ length: 3000 }, (_, i) => Math.sin(i)), 1e300, -1e-300],
    'the whole double range': () => [
      1.7e308,
      -1.7e308,
      0,
      -0,
      5e-324,
      -5e-324,
      ...Array.from({ length: 500 }, (_, i) => Math.sin(i) * 1.7e308),
    ],
    'subnormals only': () => Array.from({ length: 400 }, (_, i) => ((i * 37) % 101) * 5e-324),
    'exponential spread': () =>
      Array.from({ length: 2000 }, (_, i) => 2 ** ((i * 7) % 1000) * (i % 2 ? 1 : -1)),
    'already sorted and reversed': () => Array.from({ length: 3000 }, (_, i) => (i < 1500 ? i : 4500 - i)),
  };
  it.each(Object.entries(cases))('%s: the same order as a comparison sort', (_name, make) => {
    const values = Float64Array.from(make());
    const expected = Float64Array.from(values).sort();
    sortFiniteValues(values);
    // -0 and 0 may come in either order: compare as numbers.
    expect(Array.from(values, (x) => x + 0)).toEqual(Array.from(expected, (x) => x + 0));
  });

  it('sorts any finite doubles (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 600 }), (xs) => {
        const values = Float64Array.from(xs);
        sortFiniteValues(values);
        expect(Array.from(values, (x) => x + 0)).toEqual(
          Array.from(Float64Array.from(xs).sort(), (x) => x + 0),
        );
      }),
      { numRuns: 200 },
    );
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

  it('D and W1 match the definition', async () => {
    await fc.assert(
      fc.asyncProperty(samples, async ([a, b]) => {
        const result = await compare(a, b);
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

  it('a snapshot read once for both sides (the same file) gives what two reads give', async () => {
    const special = fc.constantFrom(
      null,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      -0,
      0,
    );
    const workers = () => new SortPool({ threads: 2, script: WORKER, minWorkerValues: 1 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(value, special), { minLength: 1, maxLength: 200 }), async (a) => {
        const twice = await compare(a, [...a].reverse());
        expect(await compare(a, [], new SortPool(), true)).toEqual(twice);
        expect(await compare(a, [], workers(), true)).toEqual(twice);
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
