import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareCategoricalColumn } from '../../src/drift/categorical.js';
import { adjustPValues } from '../../src/drift/multiple-testing.js';
import { compareNullRates } from '../../src/drift/null-rate.js';
import { chiSquareSf, gammaQ, logGamma, normalTwoSidedP } from '../../src/drift/special-functions.js';
import { Session } from '../../src/io/index.js';
import { closeRel, effectFixtures } from './fixtures.js';

let session: Session;
beforeAll(async () => {
  session = await Session.open({ threads: 2 });
});
afterAll(() => session.close());

/** A table whose column `c` holds category `k<i>` counts[i] times (plus `nulls` NULLs). */
async function categories(table: string, counts: number[], nulls = 0): Promise<void> {
  const rows = counts.map((n, i) => `('k${String(i).padStart(3, '0')}', ${n})`);
  rows.push(`(NULL, ${nulls})`);
  await session.run(
    `CREATE OR REPLACE TABLE ${table} AS SELECT c FROM (SELECT c, unnest(range(n)) FROM (VALUES ${rows.join(', ')}) v(c, n))`,
  );
}

async function compareCounts(train: number[], prod: number[], nulls: [number, number] = [0, 0]) {
  await categories('t', train, nulls[0]);
  await categories('p', prod, nulls[1]);
  const total = (xs: number[], extra: number) => xs.reduce((a, b) => a + b, 0) + extra;
  return compareCategoricalColumn(
    session,
    { train: '"t"', prod: '"p"' },
    'c',
    { train: total(train, nulls[0]), prod: total(prod, nulls[1]) },
    { floatingPoint: false, listLimit: 3, shiftLimit: 2 },
  );
}

describe('categorical comparison vs scipy chi2_contingency / jensenshannon', () => {
  it.each(effectFixtures.categorical_cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const result = await compareCounts(c.train_counts, c.prod_counts);
    expect(result.chi2!.dof).toBe(c.dof);
    expect(closeRel(result.chi2!.statistic, c.chi2, 1e-9, 1e-12)).toBe(true);
    expect(closeRel(result.chi2!.pvalue, c.pvalue, 1e-9, 1e-300)).toBe(true);
    expect(closeRel(result.jsDistance!, c.js_distance, 1e-9, 1e-12)).toBe(true);
    expect(closeRel(result.linf!, c.linf, 1e-12, 1e-15)).toBe(true);
    expect(closeRel(result.totalVariation!, c.total_variation, 1e-12, 1e-15)).toBe(true);
  });

  it('lists categories new in prod and gone from train, sorted and truncated with a count', async () => {
    const result = await compareCounts([5, 5, 0, 0, 0, 0], [5, 0, 1, 1, 1, 1], [2, 0]);
    expect(result.newCategories).toEqual({ values: ['k002', 'k003', 'k004'], count: 4 });
    expect(result.vanishedCategories).toEqual({ values: ['k001'], count: 1 });
    expect(result.train).toEqual({ rows: 12, nulls: 2, categories: 2 });
    // Shares moved: k001 0.5 → 0, k002..k005 0 → 1/9, k000 0.5 → 5/9.
    expect(result.topShifts.map((s) => s.category)).toEqual(['k001', 'k002']);
  });

  it('cannot test when one side has only NULLs', async () => {
    const result = await compareCounts([3, 4], [], [0, 5]);
    expect(result.chi2).toBeNull();
    expect(result.prod).toEqual({ rows: 5, nulls: 5, categories: 0 });
    expect(result.vanishedCategories.count).toBe(2);
  });
});

describe('chi-square and normal tails', () => {
  it.each(effectFixtures.chi2_sf_grid)('chi2.sf(%f, %i)', (q, dof, expected) => {
    expect(closeRel(chiSquareSf(q, dof), expected, 1e-9, 1e-300)).toBe(true);
  });

  it('log-gamma matches known values', () => {
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGamma(1e6)).toBeCloseTo(12815504.56914761, 6);
  });

  it('Q(a, 0) = 1 and Q(a, ∞) = 0', () => {
    expect(gammaQ(3, 0)).toBe(1);
    expect(gammaQ(3, Infinity)).toBe(0);
    expect(normalTwoSidedP(0)).toBe(1);
    expect(normalTwoSidedP(1.959963984540054)).toBeCloseTo(0.05, 14);
  });
});

describe('two-proportion z-test on null rates vs numpy/scipy', () => {
  it.each(
    effectFixtures.ztest_cases.map(
      (c) => [`${c.nulls_train}/${c.rows_train} vs ${c.nulls_prod}/${c.rows_prod}`, c] as const,
    ),
  )('%s', (_name, c) => {
    const result = compareNullRates(c.nulls_train, c.rows_train, c.nulls_prod, c.rows_prod);
    if (c.z === 0 && c.pvalue === 1 && (c.nulls_train + c.nulls_prod) % (c.rows_train + c.rows_prod) === 0) {
      expect(result.pvalue).toBeNull();
    } else {
      expect(result.z!).toBeCloseTo(c.z, 12);
      expect(closeRel(result.pvalue!, c.pvalue, 1e-9, 1e-300)).toBe(true);
    }
    expect(result.change).toBeCloseTo(c.nulls_prod / c.rows_prod - c.nulls_train / c.rows_train, 15);
  });
});

describe('multiple-testing adjustment vs numpy', () => {
  it.each(effectFixtures.adjustment_cases.map((c) => [c.pvalues.length, c] as const))(
    '%i p-values',
    (_n, c) => {
      const bh = adjustPValues(c.pvalues, 'bh');
      const bonferroni = adjustPValues(c.pvalues, 'bonferroni');
      c.bh.forEach((expected, i) => {
        expect(bh[i]).toBeCloseTo(expected, 15);
      });
      c.bonferroni.forEach((expected, i) => {
        expect(bonferroni[i]).toBeCloseTo(expected, 15);
      });
      expect(adjustPValues(c.pvalues, 'none')).toEqual(c.pvalues);
    },
  );

  it('BH never lowers a p-value and keeps their (weak) order', () => {
    const ps = [0.04, 0.001, 0.5, 0.03, 0.03, 0.2];
    const adjusted = adjustPValues(ps, 'bh');
    ps.forEach((p, i) => {
      expect(adjusted[i]).toBeGreaterThanOrEqual(p);
      ps.forEach((q, j) => {
        if (p <= q) expect(adjusted[i]).toBeLessThanOrEqual(adjusted[j]!);
      });
    });
  });
});
