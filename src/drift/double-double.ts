// Double-double arithmetic (a value held as an unevaluated sum hi + lo of two doubles, ~106 bits),
// needed to reproduce SciPy's one-sided Smirnov distribution to full double precision.
// Algorithms: Knuth's TwoSum, Dekker's split/TwoProduct (Dekker 1971), and the accurate
// division and IEEE-style addition of Hida, Li & Bailey, "Library for double-double and
// quad-double arithmetic" (QD, 2008), which SciPy's cephes `dd_real` also follows.

export interface DD {
  hi: number;
  lo: number;
}

export const DD_ONE: DD = { hi: 1, lo: 0 };
export const DD_ZERO: DD = { hi: 0, lo: 0 };

const SPLITTER = 134217729; // 2^27 + 1
const SPLIT_THRESHOLD = 6.69692879491417e299; // 2^996: above it, scale before splitting
const TWO_POW_28 = 268435456;
const TWO_POW_M28 = 3.7252902984e-9;

export function dd(hi: number, lo = 0): DD {
  return { hi, lo };
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return { hi: s, lo: b - (s - a) };
}

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return { hi: s, lo: a - (s - bb) + (b - bb) };
}

function split(a: number): [number, number] {
  if (a > SPLIT_THRESHOLD || a < -SPLIT_THRESHOLD) {
    const scaled = a * TWO_POW_M28;
    const t = SPLITTER * scaled;
    const hi = t - (t - scaled);
    const lo = scaled - hi;
    return [hi * TWO_POW_28, lo * TWO_POW_28];
  }
  const t = SPLITTER * a;
  const hi = t - (t - a);
  return [hi, a - hi];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  const [ahi, alo] = split(a);
  const [bhi, blo] = split(b);
  return { hi: p, lo: ahi * bhi - p + ahi * blo + alo * bhi + alo * blo };
}

export function addDD(a: DD, b: DD): DD {
  const s = twoSum(a.hi, b.hi);
  const t = twoSum(a.lo, b.lo);
  let r = quickTwoSum(s.hi, s.lo + t.hi);
  r = quickTwoSum(r.hi, r.lo + t.lo);
  return r;
}

export function addDd(a: DD, b: number): DD {
  const s = twoSum(a.hi, b);
  return quickTwoSum(s.hi, s.lo + a.lo);
}

export function subDD(a: DD, b: DD): DD {
  return addDD(a, { hi: -b.hi, lo: -b.lo });
}

export function subDd(a: DD, b: number): DD {
  return addDd(a, -b);
}

/** Exact sum of two doubles as a double-double. */
export function add(a: number, b: number): DD {
  return twoSum(a, b);
}

/** Exact product of two doubles as a double-double. */
export function mul(a: number, b: number): DD {
  return twoProd(a, b);
}

export function mulDD(a: DD, b: DD): DD {
  const p = twoProd(a.hi, b.hi);
  return quickTwoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

export function mulDd(a: DD, b: number): DD {
  const p1 = twoProd(a.hi, b);
  const p2 = twoProd(a.lo, b);
  return quickTwoSum(p1.hi, p2.lo + p2.hi + p1.lo);
}

export function divDD(a: DD, b: DD): DD {
  const q1 = a.hi / b.hi;
  let r = subDD(a, mulDd(b, q1));
  const q2 = r.hi / b.hi;
  r = subDD(r, mulDd(b, q2));
  const q3 = r.hi / b.hi;
  return addDd(quickTwoSum(q1, q2), q3);
}

export function div(a: number, b: number): DD {
  return divDD(dd(a), dd(b));
}

export function divDd(a: DD, b: number): DD {
  return divDD(a, dd(b));
}

export function floorDD(a: DD): DD {
  const hi = Math.floor(a.hi);
  if (hi === a.hi) return quickTwoSum(hi, Math.floor(a.lo));
  return { hi, lo: 0 };
}

export function isZero(a: DD): boolean {
  return a.hi === 0;
}

const bits = new DataView(new ArrayBuffer(8));

/** 2^e for integer e in [-1074, 1023], built from its bit pattern (faster than Math.pow). */
function powerOfTwo(e: number): number {
  if (e >= -1022) {
    bits.setUint32(0, (e + 1023) << 20);
    bits.setUint32(4, 0);
    return bits.getFloat64(0);
  }
  return 2 ** -1022 * 2 ** (e + 1022);
}

/** Mantissa/exponent decomposition of a double: x = m * 2^e with 0.5 <= |m| < 1 (C frexp). */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  bits.setFloat64(0, x);
  const high = bits.getUint32(0);
  const biased = (high >>> 20) & 0x7ff;
  if (biased === 0) {
    // Subnormal: scale into the normal range first.
    const [m, e] = frexp(x * 2 ** 64);
    return [m, e - 64];
  }
  // Replace the exponent by 1022 (i.e. 2^-1), keeping sign and mantissa.
  bits.setUint32(0, (high & 0x800fffff) | (1022 << 20));
  return [bits.getFloat64(0), biased - 1022];
}

/** x * 2^e without intermediate overflow or underflow of the power of two (C ldexp). */
export function ldexp(x: number, e: number): number {
  if (e >= -1022 && e <= 1023) return x * powerOfTwo(e);
  let result = x;
  let rest = e;
  while (rest > 1023) {
    result *= powerOfTwo(1023);
    rest -= 1023;
  }
  while (rest < -1022) {
    result *= powerOfTwo(-1022);
    rest += 1022;
  }
  return result * powerOfTwo(rest);
}

/** Normalise so that 0.5 <= |hi| < 1 (or |hi| == 1 with hi*lo < 0); returns [mantissa, exponent]. */
export function frexpDD(a: DD): [DD, number] {
  const [m, e] = frexp(a.hi);
  let man = m;
  let lo = ldexp(a.lo, -e);
  let exponent = e;
  if (Math.abs(man) === 0.5 && man * lo < 0) {
    man *= 2;
    lo *= 2;
    exponent -= 1;
  }
  return [{ hi: man, lo }, exponent];
}

export function ldexpDD(a: DD, e: number): DD {
  return { hi: ldexp(a.hi, e), lo: ldexp(a.lo, e) };
}

export function invDD(a: DD): DD {
  return divDD(DD_ONE, a);
}
