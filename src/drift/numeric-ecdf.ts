// The exact empirical-CDF comparison of one numeric feature between two snapshots, computed in
// DuckDB without sorting whole columns: KS D, Wasserstein-1, quantiles, PSI bins, mean/std.
//
// Values are first grouped into order-preserving buckets (an affine map of the value, compressed
// logarithmically beyond ±4 scale units) and counted per side. Cumulative counts at bucket ends are
// exact ECDF values, so most of D and W1 follows from the bucket table alone:
//   - D = max |F1 - F2| is attained at some distinct value; inside a bucket F1 - F2 is bounded by
//     its values at the bucket edges plus the bucket's counts, so only buckets whose bound reaches
//     the best edge value need their rows examined;
//   - W1 = ∫|F1 - F2| dx: where F1 - F2 keeps one sign across a bucket, the integral over it is
//     |∫(F1 - F2)|, which depends only on counts and value sums; buckets where the sign may change
//     are integrated exactly row by row.
// The "refined" buckets are then ranked with a window over their rows only (partitioned by bucket).
// Every result is exact: the buckets only decide how much of the data has to be sorted.
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
  /** Internal: false when std must be recomputed directly. */
  stdIsAccurate?: boolean;
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
  work: { buckets: number; refinedBuckets: number; refinedRows: number };
}

export interface BucketTransform {
  centre: number;
  scale: number;
  /** Buckets per unit of the transformed value (within ±4 scale units of the centre). */
  bucketsPerUnit: number;
}

export interface NumericOptions {
  psiBins: number;
  psiEpsilon: number;
  /** Rank every row in one partition instead of refining buckets (the fallback; for tests). */
  singlePartition?: boolean;
}

const NAN_KEY = 9e18;
const POS_INF_KEY = 8e18;
const NEG_INF_KEY = -8e18;

/** Defaults for the bucket map: centre and scale from the training mean/std, ~128 values per bucket. */
export function chooseTransform(
  mean: number | null,
  std: number | null,
  totalRows: number,
  bucketsPerUnit?: number,
): BucketTransform {
  // Rounded to 3 significant digits: the map only affects speed, and rounding keeps it (and so
  // the order of floating-point sums) identical between runs whatever the thread scheduling.
  const round3 = (x: number) => Number(x.toPrecision(3));
  const centre = mean !== null && Number.isFinite(mean) ? round3(mean) : 0;
  let scale = std !== null && Number.isFinite(std) && std > 0 ? round3(std) : 0;
  if (!(scale > 0)) scale = centre !== 0 ? Math.abs(centre) : 1;
  const k = bucketsPerUnit ?? Math.min(2 ** 20, Math.max(16, Math.round(totalRows / 1024)));
  return { centre, scale, bucketsPerUnit: k };
}

function literal(x: number): string {
  return `(${String(x)})::DOUBLE`;
}

/** Mean and standard deviation of the finite values of each column, in one scan of `relation`. */
export async function measureColumns(
  session: Session,
  relation: string,
  columnNames: readonly string[],
): Promise<Map<string, { mean: number | null; std: number | null }>> {
  const out = new Map<string, { mean: number | null; std: number | null }>();
  if (columnNames.length === 0) return out;
  const parts = columnNames.map((name) => {
    const v = `CAST(${quoteIdent(name)} AS DOUBLE)`;
    return `avg(${v}) FILTER (WHERE isfinite(${v})), stddev_pop(${v}) FILTER (WHERE isfinite(${v}))`;
  });
  const values = await columns(session, `SELECT ${parts.join(', ')} FROM ${relation}`);
  columnNames.forEach((name, i) => {
    out.set(name, { mean: values[2 * i]![0] as number | null, std: values[2 * i + 1]![0] as number | null });
  });
  return out;
}

/** SQL for the bucket key of DOUBLE `v`: NULL stays NULL; NaN and ±Infinity get sentinel keys. */
export function bucketExpression(t: BucketTransform, v = 'v'): string {
  const z = `((${v} - ${literal(t.centre)}) / ${literal(t.scale)})`;
  // Linear within ±4 units, logarithmic beyond (continuous and increasing at the joins).
  const mapped = `CASE WHEN abs(${z}) <= 4 THEN ${z} ELSE sign(${z}) * (4 + ln(least(abs(${z}), 1e300) - 3)) END`;
  return (
    `CASE WHEN isfinite(${v}) THEN floor(${mapped} * ${t.bucketsPerUnit})::BIGINT ` +
    `WHEN isnan(${v}) THEN ${NAN_KEY.toFixed(0)}::BIGINT WHEN ${v} > 0 THEN ${POS_INF_KEY.toFixed(0)}::BIGINT ` +
    `WHEN ${v} < 0 THEN ${NEG_INF_KEY.toFixed(0)}::BIGINT END`
  );
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

interface Bucket {
  key: number;
  k1: number;
  k2: number;
  lo: number;
  hi: number;
  /** Per-side extremes within the bucket. */
  lo1: number;
  hi1: number;
  lo2: number;
  hi2: number;
  /** Σ(v - centre) and Σ(v - centre)² per side (finite buckets only). */
  sum1: number;
  sum2: number;
  sq1: number;
  sq2: number;
  /** Cumulative counts before this bucket. */
  o1: number;
  o2: number;
  refine: boolean;
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

function emptyCounts(): SideCounts {
  return { nulls: 0, nan: 0, negInf: 0, posInf: 0, finite: 0, values: 0 };
}

interface QuantileTarget {
  id: number;
  side: 1 | 2;
  /** Cumulative count (including -Infinity values) the quantile's value must reach. */
  threshold: number;
  bucket: Bucket;
  value?: number;
  c1?: number;
  c2?: number;
}

let tableCounter = 0;

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
  const c = literal(transform.centre);
  const [keys, sides, counts, los, his, sums, squares] = (await columns(
    session,
    `SELECT b::DOUBLE, s, count(*)::DOUBLE, min(v), max(v), sum(v - ${c}), sum((v - ${c}) * (v - ${c}))
     FROM (SELECT v, s, ${bucketKey} AS b FROM (${source})) GROUP BY b, s`,
  )) as [(number | null)[], number[], number[], number[], number[], number[], number[]];

  const side: Record<1 | 2, SideCounts> = { 1: emptyCounts(), 2: emptyCounts() };
  const byKey = new Map<number, Bucket>();
  for (let i = 0; i < sides.length; i++) {
    const key = keys[i];
    const s = sides[i] as 1 | 2;
    const k = counts[i]!;
    if (key === null || key === undefined) {
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
    let bucket = byKey.get(key);
    if (!bucket) {
      bucket = {
        key,
        k1: 0,
        k2: 0,
        lo: Infinity,
        hi: -Infinity,
        lo1: Infinity,
        hi1: -Infinity,
        lo2: Infinity,
        hi2: -Infinity,
        sum1: 0,
        sum2: 0,
        sq1: 0,
        sq2: 0,
        o1: 0,
        o2: 0,
        refine: false,
      };
      byKey.set(key, bucket);
    }
    if (s === 1) {
      bucket.k1 = k;
      bucket.sum1 = sums[i]!;
      bucket.sq1 = squares[i]!;
      bucket.lo1 = los[i]!;
      bucket.hi1 = his[i]!;
    } else {
      bucket.k2 = k;
      bucket.sum2 = sums[i]!;
      bucket.sq2 = squares[i]!;
      bucket.lo2 = los[i]!;
      bucket.hi2 = his[i]!;
    }
    bucket.lo = Math.min(bucket.lo, los[i]!);
    bucket.hi = Math.max(bucket.hi, his[i]!);
  }
  const buckets = [...byKey.values()].sort((a, b) => a.key - b.key);
  const n1 = side[1].values;
  const n2 = side[2].values;

  // Buckets must not overlap in value; if rounding in the map ever broke monotonicity, fall back
  // to ranking everything in one partition (exact, just slower).
  let ordered = options.singlePartition !== true;
  for (let i = 1; i < buckets.length; i++) if (!(buckets[i - 1]!.hi < buckets[i]!.lo)) ordered = false;
  let o1 = 0;
  let o2 = 0;
  for (const b of buckets) {
    b.o1 = o1;
    b.o2 = o2;
    o1 += b.k1;
    o2 += b.k2;
  }

  const summaries = {
    train: summarise(side[1], rows.train, buckets, 1, transform.centre),
    prod: summarise(side[2], rows.prod, buckets, 2, transform.centre),
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
    delete summary.stdIsAccurate;
  }
  const work = { buckets: buckets.length, refinedBuckets: 0, refinedRows: 0 };
  const singleValued = (s: 1 | 2) => {
    const held = buckets.filter((b) => (s === 1 ? b.k1 : b.k2) > 0);
    return held.length === 1 && (s === 1 ? held[0]!.lo1 === held[0]!.hi1 : held[0]!.lo2 === held[0]!.hi2);
  };
  const constant = n1 > 0 && n2 > 0 && singleValued(1) && singleValued(2);
  if (n1 === 0 || n2 === 0) {
    return { ...summaries, ks: null, wasserstein: null, psi: null, constant: false, work };
  }

  // --- D from bucket ends; refine buckets whose interior could exceed it.
  let maxS = -Infinity;
  let maxAt = Number.NaN;
  let minS = Infinity;
  let minAt = Number.NaN;
  for (const b of buckets) {
    const diff = (b.o1 + b.k1) / n1 - (b.o2 + b.k2) / n2;
    if (diff > maxS) {
      maxS = diff;
      maxAt = b.hi;
    }
    if (diff < minS) {
      minS = diff;
      minAt = b.hi;
    }
  }
  if (!ordered) {
    // Bucket ends are not ECDF points when buckets overlap: take every extreme from the rows.
    maxS = -Infinity;
    minS = Infinity;
  }
  const dBound = Math.max(maxS, -minS);
  // A relative slack so that interior values equal to the bound (rounded differently) are examined.
  const slack = 1e-12 * Math.max(dBound, 1e-300) + 1e-15;
  for (const b of buckets) {
    if (!ordered) {
      b.refine = true;
      continue;
    }
    if (b.lo === b.hi) continue;
    const upper = (b.o1 + b.k1) / n1 - b.o2 / n2;
    const lower = b.o1 / n1 - (b.o2 + b.k2) / n2;
    if (upper >= dBound - slack || -lower >= dBound - slack) b.refine = true;
  }

  // --- W1 over finite values: ECDFs renormalised to the finite counts.
  const f1 = side[1].finite;
  const f2 = side[2].finite;
  const m1 = side[1].negInf;
  const m2 = side[2].negInf;
  const finiteBuckets = buckets.filter((b) => b.key !== NEG_INF_KEY && b.key !== POS_INF_KEY);
  const w1Parts: number[] = [];
  const innerFromRows = new Set<number>();
  if (!ordered) innerFromRows.add(0);
  else if (f1 > 0 && f2 > 0) {
    for (let i = 0; i < finiteBuckets.length; i++) {
      const b = finiteBuckets[i]!;
      const a1 = b.o1 - m1;
      const a2 = b.o2 - m2;
      const next = finiteBuckets[i + 1];
      if (next) w1Parts.push(Math.abs((a1 + b.k1) / f1 - (a2 + b.k2) / f2) * (next.lo - b.hi));
      if (b.lo === b.hi) continue;
      const lower = a1 / f1 - (a2 + b.k2) / f2;
      const upper = (a1 + b.k1) / f1 - a2 / f2;
      if (lower < 0 && upper > 0) {
        b.refine = true;
        innerFromRows.add(b.key);
        continue;
      }
      // One sign across the bucket: ∫_lo^hi (F1 - F2) dx from counts and sums, where
      // ∫_lo^hi #{x_i <= x} dx = Σ (hi - x_i) = k·(hi - centre) - Σ(x_i - centre).
      const width = b.hi - b.lo;
      const span = b.hi - transform.centre;
      const integral1 = (a1 * width + (b.k1 * span - b.sum1)) / f1;
      const integral2 = (a2 * width + (b.k2 * span - b.sum2)) / f2;
      w1Parts.push(Math.abs(integral1 - integral2));
    }
  }

  // --- Quantiles (finite values) and PSI edges (training deciles): locate their buckets.
  const targets: QuantileTarget[] = [];
  const addTarget = (s: 1 | 2, num: number, den: number): QuantileTarget | undefined => {
    const f = s === 1 ? f1 : f2;
    if (f === 0) return undefined;
    const threshold = (s === 1 ? m1 : m2) + Math.max(1, Math.ceil((num * f) / den));
    const bucket = finiteBuckets.find((b) => (s === 1 ? b.o1 + b.k1 : b.o2 + b.k2) >= threshold);
    if (!bucket) return undefined;
    const target: QuantileTarget = { id: targets.length, side: s, threshold, bucket };
    if (bucket.lo === bucket.hi) {
      target.value = bucket.lo;
      target.c1 = bucket.o1 + bucket.k1;
      target.c2 = bucket.o2 + bucket.k2;
    } else {
      bucket.refine = true;
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
  const refined = ordered ? buckets.filter((b) => b.refine) : buckets;
  const innerSums = new Map<number, number>();
  if (refined.length > 0) {
    work.refinedBuckets = refined.length;
    work.refinedRows = refined.reduce((a, b) => a + b.k1 + b.k2, 0);
    const id = ++tableCounter;
    const refineTable = `drift_refine_${id}`;
    const rowsTable = `drift_ranked_${id}`;
    const targetTable = `drift_targets_${id}`;
    const writer = await TableWriter.create(session, refineTable, [
      { name: 'b', type: BIGINT },
      { name: 'o1', type: BIGINT },
      { name: 'o2', type: BIGINT },
    ]);
    if (ordered) for (const b of refined) writer.append([BigInt(b.key), BigInt(b.o1), BigInt(b.o2)]);
    else writer.append([0n, 0n, 0n]);
    writer.close();
    try {
      const key = ordered ? bucketKey : '0::BIGINT';
      // One running sum carries both sides' counts: train in the high 32 bits, prod in the low.
      await session.run(
        `CREATE OR REPLACE TEMP TABLE ${quoteIdent(rowsTable)} AS
         WITH x AS (SELECT v, s, ${key} AS b FROM (${source}) WHERE isfinite(v) OR isinf(v)),
         y AS (SELECT x.b, x.v, CASE WHEN x.s = 1 THEN 4294967296::BIGINT ELSE 1::BIGINT END AS w, r.o1, r.o2
               FROM x JOIN ${quoteIdent(refineTable)} r ON x.b = r.b),
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
      if (f1 > 0 && f2 > 0 && innerFromRows.size > 0) {
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
        for (const t of pending)
          tw.append([t.id, BigInt(ordered ? t.bucket.key : 0), t.side, BigInt(t.threshold)]);
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
  return { ...summaries, ks, wasserstein, psi, constant, work };
}

/** Σ in array order (deterministic given a deterministic order). */
function sumInOrder(parts: number[]): number {
  let total = 0;
  for (const p of parts) total += p;
  return total;
}

function summarise(
  counts: SideCounts,
  rows: number,
  buckets: Bucket[],
  s: 1 | 2,
  centre: number,
): NumericSideSummary {
  let sum = 0;
  let squares = 0;
  let min: number | null = null;
  let max: number | null = null;
  for (const b of buckets) {
    const k = s === 1 ? b.k1 : b.k2;
    if (k === 0 || b.key === NEG_INF_KEY || b.key === POS_INF_KEY) continue;
    sum += s === 1 ? b.sum1 : b.sum2;
    squares += s === 1 ? b.sq1 : b.sq2;
    if (min === null) min = s === 1 ? b.lo1 : b.lo2;
    max = s === 1 ? b.hi1 : b.hi2;
  }
  const f = counts.finite;
  const meanOffset = f > 0 ? sum / f : null;
  const meanSquare = f > 0 ? (sum * sum) / f : 0;
  const m2 = squares - meanSquare;
  const variance = f > 1 ? Math.max(0, m2 / (f - 1)) : null;
  return {
    rows,
    nulls: counts.nulls,
    nan: counts.nan,
    negInf: counts.negInf,
    posInf: counts.posInf,
    finite: f,
    mean: meanOffset === null ? null : centre + meanOffset,
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
