// The bucket table of the numeric ECDF engine: one pass over both snapshots counting values,
// extremes and sums per (bucket, side), and the merge of buckets whose values overlap.
import type { Session } from '../../io/index.js';
import { type BucketTransform, NAN_KEY, NEG_INF_KEY, POS_INF_KEY } from './bucket-map.js';
import { columns, literal } from './sql.js';

/** Buckets in key order, one typed array per field (sides 1 = train, 2 = prod). Exported for tests. */
export class Buckets {
  readonly key: Float64Array;
  readonly k1: Float64Array;
  readonly k2: Float64Array;
  /** Extremes over both sides, and per side (±Infinity when the side is absent). */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly lo1: Float64Array;
  readonly hi1: Float64Array;
  readonly lo2: Float64Array;
  readonly hi2: Float64Array;
  /** Σ(x - sumCentre) and Σ(x - sumCentre)² per side. */
  readonly sum1: Float64Array;
  readonly sum2: Float64Array;
  readonly sq1: Float64Array;
  readonly sq2: Float64Array;
  /** Cumulative counts before the bucket. */
  readonly o1: Float64Array;
  readonly o2: Float64Array;
  readonly refine: Uint8Array;
  /** Raw bucket keys of each group (buckets merged because their values overlap): first..last. */
  readonly first: Int32Array;
  readonly last: Int32Array;
  constructor(readonly size: number) {
    const f = () => new Float64Array(size);
    this.first = new Int32Array(size);
    this.last = new Int32Array(size);
    this.key = f();
    this.k1 = f();
    this.k2 = f();
    this.lo = f().fill(Infinity);
    this.hi = f().fill(-Infinity);
    this.lo1 = f().fill(Infinity);
    this.hi1 = f().fill(-Infinity);
    this.lo2 = f().fill(Infinity);
    this.hi2 = f().fill(-Infinity);
    this.sum1 = f();
    this.sum2 = f();
    this.sq1 = f();
    this.sq2 = f();
    this.o1 = f();
    this.o2 = f();
    this.refine = new Uint8Array(size);
  }
  isInfinite(i: number): boolean {
    return this.key[i] === NEG_INF_KEY || this.key[i] === POS_INF_KEY;
  }
  singleValued(i: number): boolean {
    return this.lo[i] === this.hi[i];
  }
}

export interface SideCounts {
  nulls: number;
  nan: number;
  negInf: number;
  posInf: number;
  finite: number;
  /** Non-missing values: finite and infinite. */
  values: number;
}

/** Pass over the data: per (bucket, side) counts, extremes and sums, in key order. */
export async function readBuckets(
  session: Session,
  source: string,
  bucketKey: string,
  transform: BucketTransform,
): Promise<{ buckets: Buckets; side: Record<1 | 2, SideCounts> }> {
  const c = literal(transform.sumCentre);
  const [keys, sides, counts, los, his, sums, squares] = (await columns(
    session,
    `SELECT b::DOUBLE, s, count(*)::DOUBLE, min(v), max(v), sum(v - ${c}), sum((v - ${c}) * (v - ${c}))
     FROM (SELECT v, s, ${bucketKey} AS b FROM (${source})) GROUP BY b, s ORDER BY b, s`,
  )) as [(number | null)[], number[], number[], number[], number[], number[], number[]];
  const counts0 = (): SideCounts => ({ nulls: 0, nan: 0, negInf: 0, posInf: 0, finite: 0, values: 0 });
  const side: Record<1 | 2, SideCounts> = { 1: counts0(), 2: counts0() };
  let distinct = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key !== null && key !== NAN_KEY && (i === 0 || key !== keys[i - 1])) distinct++;
  }
  const b = new Buckets(distinct);
  let at = -1;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] ?? null;
    const s = sides[i] as 1 | 2;
    const k = counts[i]!;
    if (key === null) {
      side[s].nulls += k;
      continue;
    }
    if (key === NAN_KEY) {
      side[s].nan += k;
      continue;
    }
    if (key === POS_INF_KEY) side[s].posInf += k;
    else if (key === NEG_INF_KEY) side[s].negInf += k;
    else side[s].finite += k;
    side[s].values += k;
    if (at < 0 || b.key[at] !== key) b.key[++at] = key;
    const lo = los[i]!;
    const hi = his[i]!;
    if (s === 1) {
      b.k1[at] = k;
      b.lo1[at] = lo;
      b.hi1[at] = hi;
      b.sum1[at] = sums[i]!;
      b.sq1[at] = squares[i]!;
    } else {
      b.k2[at] = k;
      b.lo2[at] = lo;
      b.hi2[at] = hi;
      b.sum2[at] = sums[i]!;
      b.sq2[at] = squares[i]!;
    }
    b.lo[at] = Math.min(b.lo[at]!, lo);
    b.hi[at] = Math.max(b.hi[at]!, hi);
  }
  let o1 = 0;
  let o2 = 0;
  for (let i = 0; i < b.size; i++) {
    b.o1[i] = o1;
    b.o2[i] = o2;
    o1 += b.k1[i]!;
    o2 += b.k2[i]!;
  }
  return { buckets: b, side };
}

/**
 * Merge runs of buckets whose value ranges overlap (possible only if rounding in the map broke
 * its monotonicity) — or, with `all`, every finite bucket — so that groups are ordered and
 * disjoint in value. A group keeps the key of its first bucket; `first`/`last` index the raw keys.
 */
export function mergeOverlapping(raw: Buckets, all: boolean): Buckets {
  const starts: number[] = [];
  let hi = -Infinity;
  for (let i = 0; i < raw.size; i++) {
    const joins = i > 0 && !raw.isInfinite(i) && !raw.isInfinite(i - 1) && (all || raw.lo[i]! <= hi);
    if (!joins) starts.push(i);
    hi = joins ? Math.max(hi, raw.hi[i]!) : raw.hi[i]!;
  }
  if (starts.length === raw.size) {
    for (let i = 0; i < raw.size; i++) {
      raw.first[i] = i;
      raw.last[i] = i;
    }
    return raw;
  }
  const g = new Buckets(starts.length);
  starts.forEach((start, j) => {
    const end = (starts[j + 1] ?? raw.size) - 1;
    g.key[j] = raw.key[start]!;
    g.first[j] = start;
    g.last[j] = end;
    for (let i = start; i <= end; i++) {
      g.k1[j]! += raw.k1[i]!;
      g.k2[j]! += raw.k2[i]!;
      g.sum1[j]! += raw.sum1[i]!;
      g.sum2[j]! += raw.sum2[i]!;
      g.sq1[j]! += raw.sq1[i]!;
      g.sq2[j]! += raw.sq2[i]!;
      g.lo[j] = Math.min(g.lo[j]!, raw.lo[i]!);
      g.hi[j] = Math.max(g.hi[j]!, raw.hi[i]!);
      g.lo1[j] = Math.min(g.lo1[j]!, raw.lo1[i]!);
      g.hi1[j] = Math.max(g.hi1[j]!, raw.hi1[i]!);
      g.lo2[j] = Math.min(g.lo2[j]!, raw.lo2[i]!);
      g.hi2[j] = Math.max(g.hi2[j]!, raw.hi2[i]!);
    }
    g.o1[j] = raw.o1[start]!;
    g.o2[j] = raw.o2[start]!;
  });
  return g;
}
