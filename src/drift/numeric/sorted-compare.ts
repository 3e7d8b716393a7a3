// The exact comparison of one numeric feature from both snapshots' sorted values: one merge walk
// over the two sorted arrays gives KS D where SciPy's ks_2samp evaluates it (at every value of
// either sample, ±Infinity included) and Wasserstein-1; quantiles, PSI bins, mean and std follow
// from positions in the sorted arrays. Missing values (NULL, NaN) are left out of everything.
import {
  type KsStatistic,
  type NumericComparison,
  type NumericOptions,
  type NumericSideSummary,
  QUANTILE_PERCENTS,
  type SideValues,
  type SortedSide,
  valueCount,
  type WalkResult,
} from './types.js';

/** Number of values in ascending `a` that are <= x. */
export function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of values in ascending `a` that are < x. */
export function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Σ a[i] and Σ (a[i] - centre)², each with Neumaier's compensation (accurate whatever the order
 * of magnitude of the terms), in array order: sorted arrays give the same bits on every run.
 */
function compensatedSum(a: Float64Array, centre: number, squared: boolean): number {
  let sum = 0;
  let carry = 0;
  for (let i = 0; i < a.length; i++) {
    const x = squared ? (a[i]! - centre) * (a[i]! - centre) : a[i]!;
    const t = sum + x;
    carry += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + carry;
}

/** Sample standard deviation (ddof = 1) about `mean`, rescaled by the largest |x| if squares overflow. */
function standardDeviation(a: Float64Array, mean: number): number {
  const squares = compensatedSum(a, mean, true);
  if (Number.isFinite(squares)) return Math.sqrt(squares / (a.length - 1));
  const scale = Math.max(Math.abs(a[0]!), Math.abs(a[a.length - 1]!));
  const scaled = compensatedSum(
    a.map((x) => x / scale),
    mean / scale,
    true,
  );
  return scale * Math.sqrt(scaled / (a.length - 1));
}

/** Inverse-ECDF quantile num/den of the finite values: the ceil(num·f/den)-th smallest (at least the 1st). */
function quantileIndex(finite: number, num: number, den: number): number {
  return Math.max(1, Math.ceil((num * finite) / den)) - 1;
}

/** Counts, mean, std, range and quantiles of one side; its finite values must be sorted ascending. */
export function summariseSide(side: SideValues): NumericSideSummary {
  const a = side.finite;
  const f = a.length;
  let mean: number | null = null;
  if (f > 0) {
    mean = compensatedSum(a, 0, false) / f;
    // The mean of finite values lies within their range (a rounded sum could stray outside);
    // `+ 0` because the range may end on -0 or 0, whichever the sort put last.
    mean = Math.min(Math.max(mean, a[0]!), a[f - 1]!) + 0;
  }
  return {
    rows: side.rows,
    nulls: side.nulls,
    nan: side.nan,
    negInf: side.negInf,
    posInf: side.posInf,
    finite: f,
    mean,
    std: f > 1 ? standardDeviation(a, mean!) : null,
    min: f > 0 ? a[0]! + 0 : null,
    max: f > 0 ? a[f - 1]! + 0 : null,
    // `+ 0` turns -0 into 0: the two compare equal, and which one a rank lands on is arbitrary.
    quantiles: f > 0 ? QUANTILE_PERCENTS.map((p) => a[quantileIndex(f, p, 100)]! + 0) : null,
  };
}

/** Each side holds one distinct value (±Infinity counts as a value). */
function isConstant(side: SideValues): boolean {
  const a = side.finite;
  const finiteKinds = a.length === 0 ? 0 : a[0] === a[a.length - 1] ? 1 : 2;
  return finiteKinds + (side.negInf > 0 ? 1 : 0) + (side.posInf > 0 ? 1 : 0) === 1;
}

/** Extremes of cdf1 - cdf2 seen so far and the (smallest) values where they are reached. */
class Extremes {
  maxS = Number.NEGATIVE_INFINITY;
  maxAt = Number.NaN;
  minS = Number.POSITIVE_INFINITY;
  minAt = Number.NaN;
  visit(d: number, at: number): void {
    if (d > this.maxS) {
      this.maxS = d;
      this.maxAt = at;
    }
    if (d < this.minS) {
      this.minS = d;
      this.minAt = at;
    }
  }
  statistic(): KsStatistic {
    const useMin = -this.minS > this.maxS;
    return {
      d: useMin ? Math.min(1, Math.max(0, -this.minS)) : this.maxS,
      sign: useMin ? -1 : 1,
      location: (useMin ? this.minAt : this.maxAt) + 0,
    };
  }
}

interface WalkInput {
  a: Float64Array;
  b: Float64Array;
  /** -Infinity counts and non-missing counts of each side. */
  m1: number;
  m2: number;
  n1: number;
  n2: number;
  /** No infinities: the finite-only ECDFs of W1 are the ECDFs of D. */
  sameEcdfs: boolean;
  withW1: boolean;
}

/** The walk's state between blocks: positions, extremes and W1's compensated sum. */
const I = 0;
const J = 1;
const MAX_S = 2;
const MAX_AT = 3;
const MIN_S = 4;
const MIN_AT = 5;
const W1 = 6;
const CARRY = 7;
const PREVIOUS = 8;
const GAP = 9;
/** Distinct values per call of walkBlock. */
const WALK_BLOCK = 4096;

/**
 * Up to `steps` distinct values of the merged walk. Run in short calls so that V8 optimises the
 * whole function: in a loop optimised on the fly its floating-point locals are boxed on every step.
 */
function walkBlock(w: WalkInput, s: Float64Array, steps: number): void {
  const { a, b, m1, m2, n1, n2, sameEcdfs, withW1 } = w;
  const f1 = a.length;
  const f2 = b.length;
  let i = s[I]!;
  let j = s[J]!;
  let maxS = s[MAX_S]!;
  let maxAt = s[MAX_AT]!;
  let minS = s[MIN_S]!;
  let minAt = s[MIN_AT]!;
  let w1 = s[W1]!;
  let carry = s[CARRY]!;
  let previous = s[PREVIOUS]!;
  let gap = s[GAP]!;
  for (let k = 0; k < steps && (i < f1 || j < f2); k++) {
    let v = 0;
    if (j >= f2 || (i < f1 && a[i]! < b[j]!)) {
      v = a[i++]!;
      while (i < f1 && a[i] === v) i++;
    } else {
      v = b[j++]!;
      while (j < f2 && b[j] === v) j++;
      while (i < f1 && a[i] === v) i++;
    }
    const d = (m1 + i) / n1 - (m2 + j) / n2;
    if (d > maxS) {
      maxS = d;
      maxAt = v;
    }
    if (d < minS) {
      minS = d;
      minAt = v;
    }
    if (withW1) {
      // Σ gap·(v - previous) with Neumaier's compensation; NaN before the first value.
      const term = gap * (v - previous);
      // biome-ignore lint/suspicious/noSelfCompare: a NaN test without a call (a call boxes the double)
      if (term === term) {
        const t = w1 + term;
        carry += Math.abs(w1) >= Math.abs(term) ? w1 - t + term : term - t + w1;
        w1 = t;
      }
      previous = v;
      gap = Math.abs(sameEcdfs ? d : i / f1 - j / f2);
    }
  }
  s[I] = i;
  s[J] = j;
  s[MAX_S] = maxS;
  s[MAX_AT] = maxAt;
  s[MIN_S] = minS;
  s[MIN_AT] = minAt;
  s[W1] = w1;
  s[CARRY] = carry;
  s[PREVIOUS] = previous;
  s[GAP] = gap;
}

/**
 * D, its sign and location, and W1 from one walk over the merged distinct values. D is formed as
 * SciPy forms it, cdf1 - cdf2 with cdf = count/n at each value; the smallest value reaching it is
 * its location. W1 integrates |F1 - F2| between consecutive finite values, the ECDFs taken over
 * finite values only.
 */
function walkMerged(train: SideValues, prod: SideValues): { ks: KsStatistic; wasserstein: number | null } {
  const [a, b] = [train.finite, prod.finite];
  const [m1, m2] = [train.negInf, prod.negInf];
  const [n1, n2] = [valueCount(train), valueCount(prod)];
  const w: WalkInput = {
    a,
    b,
    m1,
    m2,
    n1,
    n2,
    sameEcdfs: m1 === 0 && m2 === 0 && train.posInf === 0 && prod.posInf === 0,
    withW1: a.length > 0 && b.length > 0,
  };
  const e = new Extremes();
  if (m1 + m2 > 0) e.visit(m1 / n1 - m2 / n2, Number.NEGATIVE_INFINITY);
  if (a === b && m1 === m2 && n1 === n2) return sameValuesWalk(w, e, train.posInf > 0);
  const s = Float64Array.of(0, 0, e.maxS, e.maxAt, e.minS, e.minAt, 0, 0, Number.NaN, 0);
  while (s[I]! < a.length || s[J]! < b.length) walkBlock(w, s, WALK_BLOCK);
  [e.maxS, e.maxAt, e.minS, e.minAt] = [s[MAX_S]!, s[MAX_AT]!, s[MIN_S]!, s[MIN_AT]!];
  if (train.posInf + prod.posInf > 0) e.visit(n1 / n1 - n2 / n2, Number.POSITIVE_INFINITY);
  return { ks: e.statistic(), wasserstein: w.withW1 ? s[W1]! + s[CARRY]! : null };
}

/**
 * The walk of one sorted array against itself with the same counts of ±Infinity (the same file
 * on both sides): cdf1 - cdf2 is exactly 0 at every value, so the extremes keep the first value
 * visited (-Infinity, else the smallest finite value, else +Infinity) and every W1 term is 0.
 */
function sameValuesWalk(
  w: WalkInput,
  e: Extremes,
  posInf: boolean,
): { ks: KsStatistic; wasserstein: number | null } {
  if (w.a.length > 0) e.visit(0, w.a[0]!);
  if (posInf) e.visit(0, Number.POSITIVE_INFINITY);
  return { ks: e.statistic(), wasserstein: w.withW1 ? 0 : null };
}

/** PSI over the bins (-inf, e1], (e1, e2], …, (e_{B-1}, inf), e_k the training k/B quantiles. */
function psiFromSorted(train: SideValues, prod: SideValues, options: NumericOptions): number | null {
  const a = train.finite;
  if (a.length === 0 && options.psiBins > 1) return null;
  const n1 = valueCount(train);
  const n2 = valueCount(prod);
  const cum1 = [0];
  const cum2 = [0];
  for (let k = 1; k < options.psiBins; k++) {
    const edge = a[quantileIndex(a.length, k, options.psiBins)]!;
    cum1.push(train.negInf + upperBound(a, edge));
    cum2.push(prod.negInf + upperBound(prod.finite, edge));
  }
  cum1.push(n1);
  cum2.push(n2);
  let psi = 0;
  for (let i = 1; i < cum1.length; i++) {
    let q = (cum1[i]! - cum1[i - 1]!) / n1;
    let p = (cum2[i]! - cum2[i - 1]!) / n2;
    if (q === 0) q = options.psiEpsilon;
    if (p === 0) p = options.psiEpsilon;
    psi += (p - q) * Math.log(p / q);
  }
  return psi;
}

/** Both sides have values to compare (finite or infinite). */
export function comparable(train: SideValues, prod: SideValues): boolean {
  return valueCount(train) > 0 && valueCount(prod) > 0;
}

/** D, W1, PSI and constancy of two comparable sides, both sorted ascending. */
export function walkSides(train: SideValues, prod: SideValues, options: NumericOptions): WalkResult {
  const { ks, wasserstein } = walkMerged(train, prod);
  return {
    ks,
    wasserstein,
    psi: psiFromSorted(train, prod, options),
    constant: isConstant(train) && isConstant(prod),
  };
}

/** The comparison from both sides' summaries and their walk (null when they are not comparable). */
export function comparison(train: SortedSide, prod: SortedSide, walk: WalkResult | null): NumericComparison {
  // Quantiles are reported only when the feature is compared.
  const summaries = walk
    ? { train: train.summary, prod: prod.summary }
    : { train: { ...train.summary, quantiles: null }, prod: { ...prod.summary, quantiles: null } };
  if (!walk) return { ...summaries, ks: null, wasserstein: null, psi: null, constant: false };
  return { ...summaries, ...walk };
}
