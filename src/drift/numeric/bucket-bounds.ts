// What the bucket table alone says about D, W1, quantiles and PSI edges, and which buckets must
// have their rows ranked to make each exact (marked in `b.refine`).
import type { Buckets, SideCounts } from './buckets.js';

/** Extremes of F_train - F_prod found so far, and the values where they are reached. */
export interface Extremes {
  maxS: number;
  maxAt: number;
  minS: number;
  minAt: number;
}

/** D from bucket ends; refine buckets whose interior could reach it. */
export function boundFromBucketEnds(b: Buckets, n1: number, n2: number): Extremes {
  const nb = b.size;
  let maxS = -Infinity;
  let maxAt = Number.NaN;
  let minS = Infinity;
  let minAt = Number.NaN;
  for (let i = 0; i < nb; i++) {
    const diff = (b.o1[i]! + b.k1[i]!) / n1 - (b.o2[i]! + b.k2[i]!) / n2;
    if (diff > maxS) {
      maxS = diff;
      maxAt = b.hi[i]!;
    }
    if (diff < minS) {
      minS = diff;
      minAt = b.hi[i]!;
    }
  }
  const dBound = Math.max(maxS, -minS);
  // A relative slack so that interior values equal to the bound (rounded differently) are examined.
  const slack = 1e-12 * Math.max(dBound, 1e-300) + 1e-15;
  for (let i = 0; i < nb; i++) {
    if (b.singleValued(i)) continue;
    const upper = (b.o1[i]! + b.k1[i]!) / n1 - b.o2[i]! / n2;
    const lower = b.o1[i]! / n1 - (b.o2[i]! + b.k2[i]!) / n2;
    if (upper >= dBound - slack || -lower >= dBound - slack) b.refine[i] = 1;
  }
  return { maxS, maxAt, minS, minAt };
}

/** W1 parts known from the buckets, and the keys of the buckets whose part comes from their rows. */
export interface W1Parts {
  parts: number[];
  innerFromRows: number[];
}

/**
 * W1 over finite values: ECDFs renormalised to the finite counts. Where F1 - F2 keeps one sign
 * across a bucket, its integral follows from counts and value sums; elsewhere the bucket is refined.
 */
export function w1FromBuckets(b: Buckets, side: Record<1 | 2, SideCounts>, sumCentre: number): W1Parts {
  const f1 = side[1].finite;
  const f2 = side[2].finite;
  const m1 = side[1].negInf;
  const m2 = side[2].negInf;
  const parts: number[] = [];
  const innerFromRows: number[] = [];
  if (!(f1 > 0 && f2 > 0)) return { parts, innerFromRows };
  let previous = -1;
  for (let i = 0; i < b.size; i++) {
    if (b.isInfinite(i)) continue;
    const a1 = b.o1[i]! - m1;
    const a2 = b.o2[i]! - m2;
    if (previous >= 0) {
      const p = previous;
      const bridge = (b.o1[p]! - m1 + b.k1[p]!) / f1 - (b.o2[p]! - m2 + b.k2[p]!) / f2;
      parts.push(Math.abs(bridge) * (b.lo[i]! - b.hi[p]!));
    }
    previous = i;
    if (b.singleValued(i)) continue;
    const lower = a1 / f1 - (a2 + b.k2[i]!) / f2;
    const upper = (a1 + b.k1[i]!) / f1 - a2 / f2;
    if (lower < 0 && upper > 0) {
      b.refine[i] = 1;
      innerFromRows.push(b.key[i]!);
      continue;
    }
    // One sign across the bucket: ∫_lo^hi (F1 - F2) dx from counts and sums, where
    // ∫_lo^hi #{x_j <= x} dx = Σ (hi - x_j) = k·(hi - c) - Σ(x_j - c).
    const width = b.hi[i]! - b.lo[i]!;
    const span = b.hi[i]! - sumCentre;
    const integral1 = (a1 * width + (b.k1[i]! * span - b.sum1[i]!)) / f1;
    const integral2 = (a2 * width + (b.k2[i]! * span - b.sum2[i]!)) / f2;
    parts.push(Math.abs(integral1 - integral2));
  }
  return { parts, innerFromRows };
}

export interface QuantileTarget {
  id: number;
  side: 1 | 2;
  /** Cumulative count (including -Infinity values) the quantile's value must reach. */
  threshold: number;
  bucket: number;
  value?: number;
  c1?: number;
  c2?: number;
}

/** The quantile targets of one column, in the order they were added (`id` is the index). */
export class QuantileTargets {
  readonly all: QuantileTarget[] = [];
  constructor(
    private readonly b: Buckets,
    private readonly side: Record<1 | 2, SideCounts>,
  ) {}

  /**
   * Locate the bucket of the num/den quantile of side `s`'s finite values; a target in a bucket
   * of several values refines it. Undefined when the side has no finite values.
   */
  add(s: 1 | 2, num: number, den: number): QuantileTarget | undefined {
    const b = this.b;
    const f = this.side[s].finite;
    if (f === 0) return undefined;
    const threshold = this.side[s].negInf + Math.max(1, Math.ceil((num * f) / den));
    const o = s === 1 ? b.o1 : b.o2;
    const k = s === 1 ? b.k1 : b.k2;
    let bucket = -1;
    for (let i = 0; i < b.size; i++) {
      if (!b.isInfinite(i) && o[i]! + k[i]! >= threshold) {
        bucket = i;
        break;
      }
    }
    if (bucket < 0) return undefined;
    const target: QuantileTarget = { id: this.all.length, side: s, threshold, bucket };
    if (b.singleValued(bucket)) {
      target.value = b.lo[bucket]!;
      target.c1 = b.o1[bucket]! + b.k1[bucket]!;
      target.c2 = b.o2[bucket]! + b.k2[bucket]!;
    } else {
      b.refine[bucket] = 1;
    }
    this.all.push(target);
    return target;
  }
}
