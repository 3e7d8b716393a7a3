import { describe, expect, it } from 'vitest';
import { kolmogorovSf } from '../../src/drift/kolmogorov-n.js';
import { ksTwoSamplePValue, outerProbInside, probOutsideSquare } from '../../src/drift/ks-pvalue.js';
import { smirnovSf } from '../../src/drift/smirnov.js';
import { closeRel, ksFixtures } from './fixtures.js';

// The agreement target: p within 1e-6 relative of SciPy wherever SciPy's p >= 1e-12.
// Below that we still expect agreement to 1e-6 relative down to 1e-300 (same algorithms).
const REL = 1e-6;

describe('one-sided Smirnov survival function vs scipy.special.smirnov', () => {
  it.each(ksFixtures.smirnov_grid)('n=%i x=%f', (n, x, expected) => {
    expect(closeRel(smirnovSf(n, x), expected, 1e-9, 1e-300)).toBe(true);
  });
});

describe('two-sided finite-n Kolmogorov survival function vs scipy.stats.kstwo.sf', () => {
  it.each(ksFixtures.kstwo_sf_grid)('n=%i x=%f', (n, x, expected) => {
    expect(closeRel(kolmogorovSf(n, x), expected, 1e-9, 1e-300)).toBe(true);
  });
});

describe('ks_2samp p-value from (n1, n2, D) vs SciPy', () => {
  it.each(ksFixtures.ks_pvalue_grid)('n1=%i n2=%i d=%f', (n1, n2, d, p, method, statistic) => {
    const result = ksTwoSamplePValue(n1, n2, d);
    expect(result.method).toBe(method);
    expect(result.statistic).toBeCloseTo(statistic, 12);
    expect(closeRel(result.pvalue, p, REL, 1e-300)).toBe(true);
  });
});

describe('exact two-sample path helpers', () => {
  it('counts paths outside the square like the reflection formula for small n', () => {
    // n = 2, h = 1: every path leaves |x - y| < 1, so p = 1; h = 2: 2 of the 6 paths reach it.
    expect(probOutsideSquare(2, 1)).toBeCloseTo(1, 15);
    expect(probOutsideSquare(2, 2)).toBeCloseTo(2 / 6, 15);
  });

  it('is symmetric in the two sample sizes', () => {
    expect(outerProbInside(7, 3, 1, 9)).toBe(outerProbInside(3, 7, 1, 9));
  });

  it('returns p = 1 when D rounds to 0 on the lattice', () => {
    expect(ksTwoSamplePValue(5, 7, 1e-9)).toEqual({ statistic: 0, pvalue: 1, method: 'exact' });
  });

  it('falls back to the asymptotic form when the exact computation leaves [0, 1]', () => {
    // Equal sizes near the exact limit with tiny D: 2·P rounds above 1, SciPy switches to asymp.
    const result = ksTwoSamplePValue(10000, 10000, 0.0021);
    expect(result.method).toBe('asymp');
    expect(result.pvalue).toBe(1);
  });

  it('rejects empty samples', () => {
    expect(() => ksTwoSamplePValue(0, 5, 0.5)).toThrow(RangeError);
  });
});
