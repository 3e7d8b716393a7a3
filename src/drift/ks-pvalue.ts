// Two-sided two-sample Kolmogorov–Smirnov p-value from the sample sizes and the statistic D,
// behaving as scipy.stats.ks_2samp(method='auto') in SciPy 1.10 (scipy/stats/_stats_py.py):
// exact when max(n1, n2) <= 10000, otherwise kstwo.sf(D, round(n1·n2/(n1+n2))); an exact
// computation that fails numerically falls back to the asymptotic form, as SciPy does.
import { kolmogorovSf } from './kolmogorov-n.js';

export type KsMethod = 'exact' | 'asymp';

export interface KsPValue {
  /** D as SciPy reports it: in exact mode rounded to the lattice h / lcm(n1, n2). */
  statistic: number;
  pvalue: number;
  method: KsMethod;
}

/** SciPy's `MAX_AUTO_N`: 'auto' is exact when both samples have at most this many values. */
export const KS_EXACT_MAX_N = 10_000;

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** numpy.round: round half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * P(D_{n,n} >= h/n) for equal sample sizes: the share of lattice paths leaving the band
 * |x - y| < h, by the reflection formula 2·Σ_k (-1)^(k+1) C(2n, n-kh) / C(2n, n) evaluated in
 * Horner form to avoid cancellation (as SciPy's `_compute_prob_outside_square`).
 */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * P(D_{m,n} >= h/lcm(m,n)) for unequal sizes: Hodges' (1958) inside method for the paths that stay
 * strictly inside |x/m - y/n| < h/lcm, with the recursion rewritten to carry 1 - p directly
 * (Viehmann, "Numerically more stable computation of the p-values for the two-sample
 * Kolmogorov–Smirnov test", arXiv:2102.08037) — SciPy's `_compute_outer_prob_inside_method`.
 */
export function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const a = new Float64Array(lenA).fill(1);
  for (let j = minj; j < maxj; j++) a[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + minj - lastminj]! * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1]!;
}

/** The exact p-value, or undefined when SciPy's exact computation would fail (then asymptotic). */
function attemptExact(n1: number, n2: number, g: number, d: number): { d: number; p?: number } {
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const dLattice = h / lcm;
  if (h === 0) return { d: dLattice, p: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  if (!(p >= 0 && p <= 1)) return { d: dLattice };
  return { d: dLattice, p };
}

/** The two-sided KS p-value for statistic `d` between samples of sizes n1 and n2 (both >= 1). */
export function ksTwoSamplePValue(n1: number, n2: number, d: number): KsPValue {
  if (!(Number.isInteger(n1) && Number.isInteger(n2) && n1 >= 1 && n2 >= 1)) {
    throw new RangeError(`KS sample sizes must be positive integers, got ${n1} and ${n2}`);
  }
  let statistic = d;
  if (Math.max(n1, n2) <= KS_EXACT_MAX_N) {
    const exact = attemptExact(n1, n2, gcd(n1, n2), d);
    statistic = exact.d;
    if (exact.p !== undefined) return { statistic, pvalue: exact.p, method: 'exact' };
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  const p = kolmogorovSf(roundHalfEven(en), statistic);
  return { statistic, pvalue: Math.min(1, Math.max(0, p)), method: 'asymp' };
}
