// Sorting a column's finite values in place, in close to linear time: a bucket sort whose buckets
// split each range evenly between its minimum and maximum (spreadsort's idea), recursing into
// crowded buckets. Ties cost nothing (a run of equal values is one bucket with min = max), and
// ranges that stay crowded after a few levels fall back to the engine's comparison sort, so the
// worst case stays O(n log n). No dependencies: it also runs in the sort worker.

/** At or below this many values a range is sorted by insertion. */
const SMALL_RANGE = 32;
/** At most this many buckets per level: their counters stay in the CPU cache. */
const MAX_BUCKETS = 4096;
/** Levels of bucketing before a still crowded range is handed to the comparison sort. */
const MAX_DEPTH = 4;

function insertionSort(a: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= lo && a[j]! > x) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}

/**
 * Bucket of x among `buckets` equal parts of [min, max]: floor((x·h - base)·scale), with h = 1/2
 * when max - min overflows. Every step rounds monotonically, so x <= y gives bucket(x) <= bucket(y).
 */
interface BucketMap {
  half: number;
  base: number;
  scale: number;
  buckets: number;
}

function bucketMap(min: number, max: number, buckets: number): BucketMap {
  if (max - min < Number.POSITIVE_INFINITY)
    return { half: 1, base: min, scale: buckets / (max - min), buckets };
  return { half: 0.5, base: min * 0.5, scale: buckets / (max * 0.5 - min * 0.5), buckets };
}

function sortRange(a: Float64Array, scratch: Float64Array, lo: number, hi: number, depth: number): void {
  let min = a[lo]!;
  let max = min;
  for (let i = lo + 1; i < hi; i++) {
    const x = a[i]!;
    if (x < min) min = x;
    else if (x > max) max = x;
  }
  if (min === max) return;
  const m = hi - lo;
  const { half, base, scale, buckets } = bucketMap(min, max, Math.max(2, Math.min(MAX_BUCKETS, m >>> 2)));
  // Subnormal ranges make the scale infinite: no bucket map, as for ranges still crowded deep down.
  if (depth >= MAX_DEPTH || !(scale < Number.POSITIVE_INFINITY)) {
    a.subarray(lo, hi).sort();
    return;
  }
  const last = buckets - 1;
  const next = new Int32Array(buckets + 1);
  for (let i = lo; i < hi; i++) {
    const k = Math.floor((a[i]! * half - base) * scale);
    next[Math.min(k, last) + 1]!++;
  }
  for (let k = 1; k <= buckets; k++) next[k]! += next[k - 1]!;
  const starts = next.slice();
  for (let i = lo; i < hi; i++) {
    const x = a[i]!;
    const k = Math.floor((x * half - base) * scale);
    scratch[lo + next[Math.min(k, last)]!++] = x;
  }
  a.set(scratch.subarray(lo, hi), lo);
  for (let k = 0; k < buckets; k++) {
    const start = lo + starts[k]!;
    const end = lo + starts[k + 1]!;
    if (end - start <= 1) continue;
    if (end - start <= SMALL_RANGE) insertionSort(a, start, end);
    else sortRange(a, scratch, start, end, depth + 1);
  }
}

/**
 * Sort finite values (no NaN, no ±Infinity) ascending, in place. -0 and 0 may come in any order.
 * `scratch` (at least as long as `values`) may be kept by the caller for the next sort.
 */
export function sortFiniteValues(values: Float64Array, scratch?: Float64Array): void {
  if (values.length <= SMALL_RANGE) {
    insertionSort(values, 0, values.length);
    return;
  }
  const space = scratch && scratch.length >= values.length ? scratch : new Float64Array(values.length);
  sortRange(values, space, 0, values.length, 0);
}
