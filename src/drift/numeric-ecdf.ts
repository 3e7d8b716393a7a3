// The exact empirical-CDF comparison of one numeric feature between two snapshots, computed in
// DuckDB without sorting whole columns: KS D, Wasserstein-1, quantiles, PSI bins, mean/std.
//
// Values are first grouped into order-preserving buckets (an affine map of the value — or of its
// logarithm for positive right-skewed features — compressed logarithmically beyond ±4 scale
// units) and counted per side. Cumulative counts at bucket ends are exact ECDF values, so most of
// D and W1 follows from the bucket table alone:
//   - D = max |F1 - F2| is attained at some distinct value; inside a bucket F1 - F2 is bounded by
//     its values at the bucket edges plus the bucket's counts, so only buckets whose bound reaches
//     the best edge value need their rows examined;
//   - W1 = ∫|F1 - F2| dx: where F1 - F2 keeps one sign across a bucket, the integral over it is
//     |∫(F1 - F2)|, which depends only on counts and value sums; buckets where the sign may change
//     are integrated exactly row by row.
// The "refined" buckets are then ranked with a window over their rows only (partitioned by bucket).
// Every result is exact: the buckets only decide how much of the data has to be sorted. Should
// floating-point rounding in the map ever put two buckets' values out of order, the overlapping
// buckets are merged into one group before anything else.
import type { DuckDBValue } from '@duckdb/node-api';
import { BIGINT, INTEGER, UTINYINT } from '@duckdb/node-api';
import type { Session } from '../io/index.js';
import { quoteIdent, TableWriter } from '../io/index.js';

/** Summary quantile levels, as fractions num/100 (p01, p25, p50, p75, p99). */
export const QUANTILE_PERCENTS = [1, 25, 50, 75, 99] as const;

export interface NumericSideSummary {
  rows: number;
  /** SQL NULLs. */
  nulls: number;
  /** NaN values (counted as missing, like NULL). */
  nan: number;
  negInf: number;
  posInf: number;
  finite: number;
  /** Over finite values; std with ddof = 1. */
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  /** Inverse-ECDF quantiles of the finite values at QUANTILE_PERCENTS. */
  quantiles: number[] | null;
}

export interface KsStatistic {
  /** max |F_train - F_prod| over all non-missing values (±Infinity included), as SciPy computes it. */
  d: number;
  /** +1 when the maximum is F_train - F_prod (prod tends to larger values), -1 otherwise. */
  sign: 1 | -1;
  /** The value at which |F_train - F_prod| reaches D (the smallest such value). */
  location: number;
}

export interface NumericComparison {
  train: NumericSideSummary;
  prod: NumericSideSummary;
  /** Null when either side has no values to compare. */
  ks: KsStatistic | null;
  /** Wasserstein-1 between the finite values; null when a side has none. */
  wasserstein: number | null;
  psi: number | null;
  /** Both sides hold a single distinct value each. */
  constant: boolean;
  /** Buckets, groups after merging overlapping buckets, and the part that had to be ranked. */
  work: { buckets: number; groups: number; refinedBuckets: number; refinedRows: number };
}

/** Training statistics that pick the bucket map (one scan, see measureColumns). */
export interface ColumnStats {
  mean: number | null;
  std: number | null;
  min: number | null;
  /** Mean and std of ln(x) over x > 0. */
  logMean: number | null;
  logStd: number | null;
}

export interface BucketTransform {
  /** 'log' maps ln(x) (x > 0; x <= 0 share one bucket below), 'linear' maps x. */
  scale: 'linear' | 'log';
  centre: number;
  spread: number;
  /** Buckets per unit of the mapped value (within ±4 spreads of the centre). */
  bucketsPerUnit: number;
  /** Reference for value sums (Σ(x - sumCentre)), near the data to keep them accurate. */
  sumCentre: number;
}

export interface NumericOptions {
  psiBins: number;
  psiEpsilon: number;
  /** Merge all finite buckets into one group, i.e. rank every row in one partition (for tests). */
  singlePartition?: boolean;
}

const NAN_KEY = 9e18;
const POS_INF_KEY = 8e18;
const NEG_INF_KEY = -8e18;
/** In log scale, all values <= 0 share this bucket (ranked row by row when it matters). */
const NON_POSITIVE_KEY = -7e18;

const round3 = (x: number) => Number(x.toPrecision(3));
const finiteOr = (x: number | null, fallback: number) => (x !== null && Number.isFinite(x) ? x : fallback);

/**
 * The bucket map for a column. Centre and spread are rounded to 3 significant digits: the map
 * only affects speed, and rounding keeps it (and so the order of floating-point sums) identical
 * between runs whatever the thread scheduling. Positive features whose mean lies within 1.5
 * standard deviations of their minimum (log-normal-like amounts, counts, durations) are bucketed
 * on a log scale, which spreads their dense low end over many more buckets.
 */
export function chooseTransform(
  stats: ColumnStats,
  totalRows: number,
  bucketsPerUnit?: number,
): BucketTransform {
  // ~128 values per bucket on average: most values map into ±4 units, so about 8k buckets.
  const k = bucketsPerUnit ?? Math.min(2 ** 20, Math.max(16, Math.round(totalRows / 1024)));
  const mean = finiteOr(stats.mean, 0);
  const std = finiteOr(stats.std, 0);
  const sumCentre = round3(mean);
  const min = stats.min;
  if (
    min !== null &&
    min > 0 &&
    std > 0 &&
    mean - min < 1.5 * std &&
    stats.logMean !== null &&
    stats.logStd !== null &&
    stats.logStd > 0
  ) {
    return {
      scale: 'log',
      centre: round3(stats.logMean),
      spread: round3(stats.logStd),
      bucketsPerUnit: k,
      sumCentre,
    };
  }
  const spread = std > 0 ? round3(std) : mean !== 0 ? Math.abs(sumCentre) || 1 : 1;
  return { scale: 'linear', centre: sumCentre, spread, bucketsPerUnit: k, sumCentre };
}

/** A DOUBLE literal that parses back to exactly `x` (exponent form: DuckDB reads plain decimals as DECIMAL). */
function literal(x: number): string {
  if (Number.isNaN(x)) return "'NaN'::DOUBLE";
  if (!Number.isFinite(x)) return x > 0 ? "'Infinity'::DOUBLE" : "'-Infinity'::DOUBLE";
  return `(${x.toExponential()})::DOUBLE`;
}

/** SQL for the bucket key of DOUBLE `v`: NULL stays NULL; NaN and ±Infinity get sentinel keys. */
export function bucketExpression(t: BucketTransform, v = 'v'): string {
  const x = t.scale === 'log' ? `ln(${v})` : v;
  const z = `((${x} - ${literal(t.centre)}) / ${literal(t.spread)})`;
  // Linear within ±4 units, logarithmic beyond (continuous and increasing at the joins). A tanh
  // map would fill the buckets of bell-shaped data more evenly (half the rows to rank) but costs
  // more to evaluate than it saves, as every value is mapped twice.
  const mapped = `CASE WHEN abs(${z}) <= 4 THEN ${z} ELSE sign(${z}) * (4 + ln(least(abs(${z}), 1e300) - 3)) END`;
  const finite = `floor(${mapped} * ${t.bucketsPerUnit})::BIGINT`;
  const key = (k: number) => `${k.toFixed(0)}::BIGINT`;
  return (
    `CASE WHEN isfinite(${v}) THEN ${t.scale === 'log' ? `CASE WHEN ${v} > 0 THEN ${finite} ELSE ${key(NON_POSITIVE_KEY)} END` : finite} ` +
    `WHEN isnan(${v}) THEN ${key(NAN_KEY)} WHEN ${v} > 0 THEN ${key(POS_INF_KEY)} ` +
    `WHEN ${v} < 0 THEN ${key(NEG_INF_KEY)} END`
  );
}

/** Rows of the leading sample that chooseTransform's statistics come from. */
export const TRANSFORM_SAMPLE_ROWS = 100_000;

/**
 * Statistics of each column for chooseTransform, from the first TRANSFORM_SAMPLE_ROWS rows of
 * `relation`. They only steer the bucket map (speed, never results), so a sample is enough; it is
 * read on one thread so that it is the same rows, and the same map, on every run.
 */
export async function measureColumns(
  session: Session,
  relation: string,
  columnNames: readonly string[],
): Promise<Map<string, ColumnStats>> {
  const out = new Map<string, ColumnStats>();
  if (columnNames.length === 0) return out;
  const parts = columnNames.map((name) => {
    const v = `CAST(${quoteIdent(name)} AS DOUBLE)`;
    const finite = `FILTER (WHERE isfinite(${v}))`;
    // DuckDB's ln() raises on x <= 0 even for rows a FILTER drops, so guard the argument itself.
    const logV = `ln(CASE WHEN isfinite(${v}) AND ${v} > 0 THEN ${v} END)`;
    return `avg(${v}) ${finite}, stddev_pop(${v}) ${finite}, min(${v}) ${finite}, avg(${logV}), stddev_pop(${logV})`;
  });
  const threads = (await columns(session, "SELECT current_setting('threads')::INTEGER"))[0]?.[0];
  await session.run('SET threads = 1');
  let values: DuckDBValue[][];
  try {
    values = await columns(
      session,
      `SELECT ${parts.join(', ')} FROM (SELECT * FROM ${relation} LIMIT ${TRANSFORM_SAMPLE_ROWS})`,
    );
  } finally {
    await session.run(`SET threads = ${Number(threads)}`);
  }
  columnNames.forEach((name, i) => {
    const at = (j: number) => (values[5 * i + j]![0] ?? null) as number | null;
    out.set(name, { mean: at(0), std: at(1), min: at(2), logMean: at(3), logStd: at(4) });
  });
  return out;
}

/** Both snapshots' values of one column as (v DOUBLE, s 1|2). */
function unionSource(relations: { train: string; prod: string }, column: string): string {
  const c = quoteIdent(column);
  return (
    `SELECT CAST(${c} AS DOUBLE) AS v, 1::UTINYINT AS s FROM ${relations.train} ` +
    `UNION ALL SELECT CAST(${c} AS DOUBLE) AS v, 2::UTINYINT AS s FROM ${relations.prod}`
  );
}

async function columns(session: Session, sql: string): Promise<DuckDBValue[][]> {
  const reader = await session.connection.runAndReadAll(sql);
  return reader.getColumns();
}

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

interface SideCounts {
  nulls: number;
  nan: number;
  negInf: number;
  posInf: number;
  finite: number;
  /** Non-missing values: finite and infinite. */
  values: number;
}

interface QuantileTarget {
  id: number;
  side: 1 | 2;
  /** Cumulative count (including -Infinity values) the quantile's value must reach. */
  threshold: number;
  bucket: number;
  value?: number;
  c1?: number;
  c2?: number;
}

let tableCounter = 0;

/** Pass over the data: per (bucket, side) counts, extremes and sums, in key order. */
async function readBuckets(
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

/**
 * Compare one numeric column between the `train` and `prod` relations (quoted SQL names).
 * `rows` are the snapshots' row counts.
 */
export async function compareNumericColumn(
  session: Session,
  relations: { train: string; prod: string },
  column: string,
  rows: { train: number; prod: number },
  transform: BucketTransform,
  options: NumericOptions,
): Promise<NumericComparison> {
  const source = unionSource(relations, column);
  const bucketKey = bucketExpression(transform);
  const read = await readBuckets(session, source, bucketKey, transform);
  const raw = read.buckets;
  const side = read.side;
  const b = mergeOverlapping(raw, options.singlePartition === true);
  const n1 = side[1].values;
  const n2 = side[2].values;
  const nb = b.size;

  const summaries = {
    train: summarise(side[1], rows.train, b, 1, transform.sumCentre),
    prod: summarise(side[2], rows.prod, b, 2, transform.sumCentre),
  };
  for (const [summary, relation] of [
    [summaries.train, relations.train],
    [summaries.prod, relations.prod],
  ] as const) {
    if (summary.std !== null && !summary.stdIsAccurate) {
      // Σ(x - centre)² lost its precision to cancellation (values far from the training centre
      // relative to their spread): recompute this side's std directly.
      const [[std]] = (await columns(
        session,
        `SELECT stddev_samp(v) FROM (SELECT CAST(${quoteIdent(column)} AS DOUBLE) AS v FROM ${relation}) WHERE isfinite(v)`,
      )) as [(number | null)[]];
      summary.std = std ?? null;
    }
  }
  const work = { buckets: raw.size, groups: nb, refinedBuckets: 0, refinedRows: 0 };
  const singleValued = (k: Float64Array, lo: Float64Array, hi: Float64Array) => {
    let held = -1;
    for (let i = 0; i < nb; i++) {
      if (k[i]! > 0) {
        if (held >= 0) return false;
        held = i;
      }
    }
    return held >= 0 && lo[held] === hi[held];
  };
  const constant = n1 > 0 && n2 > 0 && singleValued(b.k1, b.lo1, b.hi1) && singleValued(b.k2, b.lo2, b.hi2);
  if (n1 === 0 || n2 === 0) {
    return {
      train: strip(summaries.train),
      prod: strip(summaries.prod),
      ks: null,
      wasserstein: null,
      psi: null,
      constant: false,
      work,
    };
  }

  // --- D from bucket ends; refine buckets whose interior could reach it.
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

  // --- W1 over finite values: ECDFs renormalised to the finite counts.
  const f1 = side[1].finite;
  const f2 = side[2].finite;
  const m1 = side[1].negInf;
  const m2 = side[2].negInf;
  const w1Parts: number[] = [];
  const innerFromRows: number[] = [];
  if (f1 > 0 && f2 > 0) {
    let previous = -1;
    for (let i = 0; i < nb; i++) {
      if (b.isInfinite(i)) continue;
      const a1 = b.o1[i]! - m1;
      const a2 = b.o2[i]! - m2;
      if (previous >= 0) {
        const p = previous;
        const bridge = (b.o1[p]! - m1 + b.k1[p]!) / f1 - (b.o2[p]! - m2 + b.k2[p]!) / f2;
        w1Parts.push(Math.abs(bridge) * (b.lo[i]! - b.hi[p]!));
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
      const span = b.hi[i]! - transform.sumCentre;
      const integral1 = (a1 * width + (b.k1[i]! * span - b.sum1[i]!)) / f1;
      const integral2 = (a2 * width + (b.k2[i]! * span - b.sum2[i]!)) / f2;
      w1Parts.push(Math.abs(integral1 - integral2));
    }
  }

  // --- Quantiles (finite values) and PSI edges (training deciles): locate their buckets.
  const targets: QuantileTarget[] = [];
  const addTarget = (s: 1 | 2, num: number, den: number): QuantileTarget | undefined => {
    const f = s === 1 ? f1 : f2;
    if (f === 0) return undefined;
    const threshold = (s === 1 ? m1 : m2) + Math.max(1, Math.ceil((num * f) / den));
    const o = s === 1 ? b.o1 : b.o2;
    const k = s === 1 ? b.k1 : b.k2;
    let bucket = -1;
    for (let i = 0; i < nb; i++) {
      if (!b.isInfinite(i) && o[i]! + k[i]! >= threshold) {
        bucket = i;
        break;
      }
    }
    if (bucket < 0) return undefined;
    const target: QuantileTarget = { id: targets.length, side: s, threshold, bucket };
    if (b.singleValued(bucket)) {
      target.value = b.lo[bucket]!;
      target.c1 = b.o1[bucket]! + b.k1[bucket]!;
      target.c2 = b.o2[bucket]! + b.k2[bucket]!;
    } else {
      b.refine[bucket] = 1;
    }
    targets.push(target);
    return target;
  };
  const summaryTargets = {
    1: QUANTILE_PERCENTS.map((p) => addTarget(1, p, 100)),
    2: QUANTILE_PERCENTS.map((p) => addTarget(2, p, 100)),
  };
  const psiEdges: (QuantileTarget | undefined)[] = [];
  for (let k = 1; k < options.psiBins; k++) psiEdges.push(addTarget(1, k, options.psiBins));

  // --- Rank the rows of refined buckets exactly.
  const innerSums = new Map<number, number>();
  let refinedBuckets = 0;
  for (let i = 0; i < nb; i++) {
    if (b.refine[i]) {
      refinedBuckets++;
      work.refinedRows += b.k1[i]! + b.k2[i]!;
    }
  }
  work.refinedBuckets = refinedBuckets;
  if (refinedBuckets > 0) {
    const id = ++tableCounter;
    const refineTable = `drift_refine_${id}`;
    const rowsTable = `drift_ranked_${id}`;
    const targetTable = `drift_targets_${id}`;
    // Raw bucket key → group key and the counts before the group.
    const writer = await TableWriter.create(session, refineTable, [
      { name: 'k', type: BIGINT },
      { name: 'b', type: BIGINT },
      { name: 'o1', type: BIGINT },
      { name: 'o2', type: BIGINT },
    ]);
    for (let i = 0; i < nb; i++) {
      if (!b.refine[i]) continue;
      if (b.k2[i]! >= 2 ** 32) {
        // The packed running count below keeps prod's count in 32 bits.
        throw new Error(`a bucket of column "${column}" holds ${b.k2[i]} production values, more than 2^32`);
      }
      for (let r = b.first[i]!; r <= b.last[i]!; r++) {
        writer.append([BigInt(raw.key[r]!), BigInt(b.key[i]!), BigInt(b.o1[i]!), BigInt(b.o2[i]!)]);
      }
    }
    writer.close();
    try {
      // Runs of adjacent refined groups cover value ranges that hold exactly their rows (groups
      // do not overlap), so a few ranges select the rows more cheaply than mapping every value.
      const ranges = refinedRanges(b);
      const where =
        ranges.length <= MAX_RANGE_FILTERS
          ? ranges.map(([lo, hi]) => `(v BETWEEN ${literal(lo)} AND ${literal(hi)})`).join(' OR ')
          : 'isfinite(v) OR isinf(v)';
      // One running sum carries both sides' counts: train in the high 32 bits, prod in the low.
      await session.run(
        `CREATE OR REPLACE TEMP TABLE ${quoteIdent(rowsTable)} AS
         WITH x AS (SELECT v, s, ${bucketKey} AS k FROM (${source}) WHERE ${where}),
         y AS (SELECT r.b, x.v, CASE WHEN x.s = 1 THEN 4294967296::BIGINT ELSE 1::BIGINT END AS w, r.o1, r.o2
               FROM x JOIN ${quoteIdent(refineTable)} r ON x.k = r.k),
         z AS (SELECT b, v, o1, o2, lead(v) OVER win AS vn, sum(w) OVER win AS packed FROM y
               WINDOW win AS (PARTITION BY b ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))
         SELECT b, v, vn, (o1 + (packed >> 32))::BIGINT AS c1, (o2 + (packed & 4294967295))::BIGINT AS c2 FROM z`,
      );
      const ranked = quoteIdent(rowsTable);
      // Extremes of F1 - F2 at the last row of each run of equal values.
      const [[rMax], [rMin], [rMaxAt], [rMinAt]] = (await columns(
        session,
        `SELECT max(d), min(d), arg_min(v, (-d, v)), arg_min(v, (d, v))
         FROM (SELECT v, c1::DOUBLE / ${n1} - c2::DOUBLE / ${n2} AS d FROM ${ranked} WHERE vn IS NULL OR vn <> v)`,
      )) as [(number | null)[], (number | null)[], (number | null)[], (number | null)[]];
      if (rMax !== null && rMax !== undefined && (rMax > maxS || (rMax === maxS && rMaxAt! < maxAt))) {
        maxS = rMax;
        maxAt = rMaxAt!;
      }
      if (rMin !== null && rMin !== undefined && (rMin < minS || (rMin === minS && rMinAt! < minAt))) {
        minS = rMin;
        minAt = rMinAt!;
      }
      if (f1 > 0 && f2 > 0 && innerFromRows.length > 0) {
        const [bs, parts] = (await columns(
          session,
          `SELECT b::DOUBLE, fsum(abs((c1 - ${m1})::DOUBLE / ${f1} - (c2 - ${m2})::DOUBLE / ${f2}) * (vn - v))
           FROM ${ranked} WHERE vn > v AND isfinite(v) AND isfinite(vn) GROUP BY b`,
        )) as [number[], number[]];
        for (let i = 0; i < bs.length; i++) innerSums.set(bs[i]!, parts[i]!);
      }
      const pending = targets.filter((t) => t.value === undefined);
      if (pending.length > 0) {
        const tw = await TableWriter.create(session, targetTable, [
          { name: 'id', type: INTEGER },
          { name: 'b', type: BIGINT },
          { name: 'side', type: UTINYINT },
          { name: 't', type: BIGINT },
        ]);
        for (const t of pending) tw.append([t.id, BigInt(b.key[t.bucket]!), t.side, BigInt(t.threshold)]);
        tw.close();
        const [ids, values, c1s, c2s] = (await columns(
          session,
          `WITH hit AS (SELECT q.id, q.b, min(r.v) AS e FROM ${quoteIdent(targetTable)} q JOIN ${ranked} r
                ON r.b = q.b AND (CASE WHEN q.side = 1 THEN r.c1 ELSE r.c2 END) >= q.t GROUP BY q.id, q.b)
           SELECT hit.id, hit.e, max(r.c1)::DOUBLE, max(r.c2)::DOUBLE FROM hit JOIN ${ranked} r
                ON r.b = hit.b AND r.v = hit.e GROUP BY hit.id, hit.e`,
        )) as [number[], number[], number[], number[]];
        for (let i = 0; i < ids.length; i++) {
          const t = targets[ids[i]!]!;
          t.value = values[i]!;
          t.c1 = c1s[i]!;
          t.c2 = c2s[i]!;
        }
      }
    } finally {
      for (const table of [refineTable, rowsTable, targetTable]) {
        await session.run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
      }
    }
  }

  for (const key of innerFromRows) w1Parts.push(innerSums.get(key) ?? 0);
  const wasserstein = f1 > 0 && f2 > 0 ? sumInOrder(w1Parts) : null;

  for (const s of [1, 2] as const) {
    const summary = s === 1 ? summaries.train : summaries.prod;
    const found = summaryTargets[s];
    // `+ 0` turns -0 into 0: the two compare equal, and which one a rank lands on is arbitrary.
    if (found.every((t) => t?.value !== undefined)) summary.quantiles = found.map((t) => t!.value! + 0);
  }

  const psi = computePsiFromEdges(psiEdges, n1, n2, options);
  const useMin = -minS > maxS;
  const ks: KsStatistic = {
    d: useMin ? Math.min(1, Math.max(0, -minS)) : maxS,
    sign: useMin ? -1 : 1,
    location: (useMin ? minAt : maxAt) + 0,
  };
  return { train: strip(summaries.train), prod: strip(summaries.prod), ks, wasserstein, psi, constant, work };
}

/** Above this many value ranges, refined rows are selected by their bucket key instead. */
const MAX_RANGE_FILTERS = 24;

/** [lo, hi] of each run of adjacent refined buckets, in order. */
function refinedRanges(b: Buckets): [number, number][] {
  const ranges: [number, number][] = [];
  for (let i = 0; i < b.size; i++) {
    if (!b.refine[i]) continue;
    if (i > 0 && b.refine[i - 1] && ranges.length > 0) ranges[ranges.length - 1]![1] = b.hi[i]!;
    else ranges.push([b.lo[i]!, b.hi[i]!]);
  }
  return ranges;
}

/** Σ in array order (deterministic given a deterministic order). */
function sumInOrder(parts: number[]): number {
  let total = 0;
  for (const p of parts) total += p;
  return total;
}

type SummaryDraft = NumericSideSummary & { stdIsAccurate?: boolean };

function strip(summary: SummaryDraft): NumericSideSummary {
  const { stdIsAccurate: _ignored, ...rest } = summary;
  return rest;
}

function summarise(counts: SideCounts, rows: number, b: Buckets, s: 1 | 2, centre: number): SummaryDraft {
  const k = s === 1 ? b.k1 : b.k2;
  const sums = s === 1 ? b.sum1 : b.sum2;
  const squares = s === 1 ? b.sq1 : b.sq2;
  const lo = s === 1 ? b.lo1 : b.lo2;
  const hi = s === 1 ? b.hi1 : b.hi2;
  let sum = 0;
  let sq = 0;
  let min: number | null = null;
  let max: number | null = null;
  for (let i = 0; i < b.size; i++) {
    if (k[i] === 0 || b.isInfinite(i)) continue;
    sum += sums[i]!;
    sq += squares[i]!;
    min = min === null ? lo[i]! : Math.min(min, lo[i]!);
    max = max === null ? hi[i]! : Math.max(max, hi[i]!);
  }
  const f = counts.finite;
  const meanSquare = f > 0 ? (sum * sum) / f : 0;
  const m2 = sq - meanSquare;
  const variance = f > 1 ? Math.max(0, m2 / (f - 1)) : null;
  return {
    rows,
    nulls: counts.nulls,
    nan: counts.nan,
    negInf: counts.negInf,
    posInf: counts.posInf,
    finite: f,
    mean: f > 0 ? centre + sum / f : null,
    std: variance === null ? null : Math.sqrt(variance),
    min: min === null ? null : min + 0,
    max: max === null ? null : max + 0,
    quantiles: null,
    stdIsAccurate: !(meanSquare > 0 && m2 < 1e-6 * meanSquare),
  };
}

/** PSI over the bins (-inf, e1], (e1, e2], …, (e_{B-1}, inf) from cumulative counts at the edges. */
function computePsiFromEdges(
  edges: (QuantileTarget | undefined)[],
  n1: number,
  n2: number,
  options: NumericOptions,
): number | null {
  if (edges.some((e) => e?.c1 === undefined || e.c2 === undefined)) return null;
  const cum1 = [0, ...edges.map((e) => e!.c1!), n1];
  const cum2 = [0, ...edges.map((e) => e!.c2!), n2];
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
