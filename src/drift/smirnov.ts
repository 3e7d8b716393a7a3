// Survival function of the one-sided Kolmogorov–Smirnov statistic D+_n (Smirnov's distribution),
// matching scipy.special.smirnov (SciPy 1.10, cephes/kolmogorov.c). The two-sided finite-n
// distribution uses 2·smirnov in its upper tail, so the KS p-values of large samples go through here.
//
// Formula: Birnbaum & Tingey (1951) / Smirnov (1944)
//   P(D+_n >= x) = x · Σ_{v=0}^{floor(n(1-x))} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v),
// summed in double-double arithmetic with a separate binary exponent so that neither the binomial
// coefficients nor the powers overflow, and the "upper sum" variant for small x (van Mulbregt,
// "Computing the CDF and quantiles of the one-sided Kolmogorov–Smirnov statistic",
// arXiv:1802.06966). The switching rules and constants below are SciPy's; the one addition is
// that for n > 20000 the lower sum runs in compensated log space (see LOG_SPACE_MIN_N).
import {
  add,
  addDD,
  addDd,
  type DD,
  DD_ONE,
  DD_ZERO,
  div,
  divDD,
  divDd,
  floorDD,
  frexpDD,
  invDD,
  isZero,
  ldexp,
  ldexpDD,
  mul,
  mulDD,
  mulDd,
  subDD,
  subDd,
} from './double-double.js';

/** Above this n the sum is too long; SciPy switches to the approximation exp(-(6nx+1)^2 / 18n). */
const SMIRNOV_MAX_COMPUTE_N = 1_000_000;
/** The upper sum is used for small x only when it has at most this many terms (and n >= 10). */
const UPPER_SUM_MAX_TERMS = 3;
const UPPER_SUM_MIN_N = 10;
/**
 * Above this n the lower sum is evaluated in log space in plain doubles instead of double-double:
 * SciPy's double-double terms cost ~2 µs each in JS and the sum has up to n terms, while the
 * log-space terms agree with them to ~1e-10 relative (checked against SciPy up to n = 10^6),
 * far inside the 1e-6 agreement target.
 */
const LOG_SPACE_MIN_N = 20_000;
/** cephes MINLOG = log(2^-1075): exp of anything below underflows to 0. */
const MINLOG = -745.1332191019412;
/** Keep both parts of a scaled double-double normal: well inside the 2^-1022 limit. */
const MAX_EXPONENT = 960;

/** a^m for a double-double a and integer m, trading a little accuracy for speed as SciPy does. */
function powDD(a: DD, m: number): DD {
  if (m <= 0) return m === 0 ? DD_ONE : invDD(powDD(a, -m));
  if (isZero(a)) return DD_ZERO;
  const ans = a.hi ** m;
  const r = a.lo / a.hi;
  let adjust = m * r;
  if (Math.abs(adjust) > 1e-8) {
    // Two terms of the binomial series of (1+r)^m when small, else through log1p.
    adjust = Math.abs(adjust) < 1e-4 ? adjust + m * r * (((m - 1) / 2) * r) : Math.expm1(m * Math.log1p(r));
  }
  return add(ans, ans * adjust);
}

/** The odd "next power of two" helper of SciPy's kolmogorov.c, kept as is for identical splits. */
function nextPowerOf2(x: number): number {
  const q = ldexp(x, 1 - 53);
  let l = Math.abs(q + x);
  if (l === 0) l = Math.abs(x);
  else if (Math.trunc(l) === l) l = Math.trunc(l);
  return l;
}

/** a^m as [significand, binary exponent], splitting the power so that nothing underflows. */
function powScaled(a: DD, m: number): [DD, number] {
  if (m <= 0) {
    if (m === 0) return [DD_ONE, 0];
    const [inverse, e1] = powScaled(a, -m);
    const [mant, e2] = frexpDD(invDD(inverse));
    return [mant, -e1 + e2];
  }
  const [y, yE] = frexpDD(a);
  if (m === 1) return [y, yE];
  let maxExpt = MAX_EXPONENT;
  if ((m * (y.hi - 1)) / y.hi < -MAX_EXPONENT * Math.LN2) {
    const lg2y = Math.log(y.hi) / Math.LN2;
    if (m * lg2y <= -MAX_EXPONENT) maxExpt = Math.trunc(nextPowerOf2(-MAX_EXPONENT / lg2y + 1) / 2);
  }
  if (m <= maxExpt) {
    const [mant, e] = frexpDD(powDD(y, m));
    return [mant, e + m * yE];
  }
  const q = Math.trunc(m / maxExpt);
  const r = m % maxExpt;
  const [y2r, y2rE] = powScaled(y, r);
  const [y2m, y2mE] = powScaled(y, maxExpt);
  const [y2mq, y2mqE0] = powScaled(y2m, q);
  const [mant, e] = frexpDD(mulDD(y2r, y2mq));
  const y2mqE = y2mqE0 + y2mE * q;
  return [mant, e + y2mqE + y2rE + m * yE];
}

/** ((a+b)/(c+d))^m in double-double. */
function pow4(a: number, b: number, c: number, d: number, m: number): DD {
  if (m <= 0) return m === 0 ? DD_ONE : pow4(c, d, a, b, -m);
  const num = add(a, b);
  const den = add(c, d);
  if (isZero(num)) return isZero(den) ? { hi: Number.NaN, lo: 0 } : DD_ZERO;
  if (isZero(den)) return { hi: num.hi < 0 ? -Infinity : Infinity, lo: 0 };
  return powDD(divDD(num, den), m);
}

/** One term C(n,v) (1-x-v/n)^(n-v) (x+v/n)^(v-1), with C(n,v) given as significand and exponent. */
function term(n: number, x: number, v: number, cMan: DD, cExp: number): DD {
  const [t2, t2E] = powScaled(subDd(div(n - v, n), x), n - v);
  const [t1, t1E] = powScaled(addDd(div(v, n), x), v - 1);
  const product = mulDD(mulDD(t1, t2), cMan);
  return ldexpDD(product, cExp + t1E + t2E);
}

function clip01(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/**
 * x · Σ_{v=0}^{terms-1} C(n,v) (x+v/n)^(v-1) (1-x-v/n)^(n-v), each term as exp of its logarithm
 * (log C(n,v) built up incrementally), summed relative to the largest log seen so far; stops,
 * like SciPy, once the remaining terms cannot change the sum.
 */
function lowerSumInLogSpace(n: number, x: number, terms: number): number {
  // log C(n, v) accumulated with Neumaier's compensated summation: it grows to ~n·ln 2 while the
  // terms' logs stay small, so plain accumulation would lose ~1e-8 relative over 10^6 steps.
  let logBinomial = 0; // log C(n, 0)
  let compensation = 0;
  let top = -Infinity;
  let sum = 0;
  const vMid = Math.trunc(n / 2);
  for (let v = 0; v < terms; v++) {
    // 1 - x - v/n = ((n - v) - n·x) / n with n - v exact; x + v/n likewise.
    const below = (n - v - n * x) / n;
    const above = (v + n * x) / n;
    const logTerm = logBinomial + compensation + (n - v) * Math.log(below) + (v - 1) * Math.log(above);
    if (logTerm > top) {
      sum = sum * Math.exp(top - logTerm) + 1;
      top = logTerm;
    } else {
      const t = Math.exp(logTerm - top);
      sum += t;
      if (t === 0 && v > vMid) break;
      if (4 * (terms - v) * t < Number.EPSILON * sum && v !== terms - 1) break;
    }
    const step = Math.log((n - v) / (v + 1));
    const total = logBinomial + step;
    compensation +=
      Math.abs(logBinomial) >= Math.abs(step) ? logBinomial - total + step : step - total + logBinomial;
    logBinomial = total;
  }
  return x * sum * Math.exp(top);
}

/** P(D+_n >= x), as scipy.special.smirnov(n, x). */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;

  // floor(n·x) and its remainder, exactly.
  const nxD = mul(n, x);
  const nxFloorD = floorDD(nxD);
  let alpha = subDD(nxD, nxFloorD).hi;
  let nxFloor = Math.trunc(nxFloorD.hi);
  if (alpha === 1) {
    nxFloor += 1;
    alpha = 0;
  }
  let n1mxFloor = n - nxFloor - (alpha === 0 ? 0 : 1);
  let n1mxCeil = n - nxFloor;
  if (alpha === 0) {
    n1mxFloor -= 1;
    n1mxCeil += 1;
  }

  // x <= 1/n: closed form.
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) {
    const t = powDD(add(1, x), n - 1).hi;
    return clip01(1 - x * t);
  }
  if (-2 * n * x * x < MINLOG) return 0;
  if (nxFloor >= n - 1) return clip01(powDD(add(1, -x), n).hi);
  if (n > SMIRNOV_MAX_COMPUTE_N) return clip01(Math.exp(-((6 * n * x + 1) ** 2) / 18 / n));

  const nUpperTerms = n - n1mxCeil + 1;
  const useUpperSum =
    (nUpperTerms <= 1 && x < 0.5) ||
    (n >= UPPER_SUM_MIN_N && nUpperTerms <= UPPER_SUM_MAX_TERMS && x <= 0.5 / Math.sqrt(n));
  if (!useUpperSum && n > LOG_SPACE_MIN_N) return clip01(lowerSumInLogSpace(n, x, n1mxFloor + 1));

  let start = 0;
  let step = 1;
  let nTerms = n1mxFloor + 1;
  let aj: DD;
  if (useUpperSum) {
    start = n;
    step = -1;
    nTerms = n - n1mxCeil + 1;
    aj = pow4(1, x, 1, 0, n - 1);
  } else {
    aj = divDd(pow4(1, -x, 1, 0, n), x);
  }
  let sum = aj;
  let cMan: DD = DD_ONE;
  let cExp = 0;
  const updateBinomial = (j: number) => {
    const [mant, e] = frexpDD(mulDD(cMan, div(n - j, j + 1)));
    cMan = mant;
    cExp += e;
  };
  updateBinomial(0);
  const vMid = Math.trunc(n / 2);
  for (let j = 1; j < nTerms; j++) {
    const v = start + j * step;
    aj = term(n, x, v, cMan, cExp);
    if (Number.isFinite(aj.hi) && !isZero(aj)) sum = addDD(sum, aj);
    if (!isZero(aj)) {
      // Later terms only shrink: stop once they cannot change the double result.
      if (4 * (nTerms - j) * Math.abs(aj.hi) < Number.EPSILON * sum.hi && j !== nTerms - 1) break;
    } else if (j > vMid) {
      break;
    }
    updateBinomial(j);
  }
  const prob = mulDd(sum, x).hi;
  return clip01(step < 0 ? 1 - prob : prob);
}
