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
import type { Session } from '../../io/index.js';
import { boundFromBucketEnds, QuantileTargets, w1FromBuckets } from './bucket-bounds.js';
import { type BucketTransform, bucketExpression } from './bucket-map.js';
import { type Buckets, mergeOverlapping, readBuckets } from './buckets.js';
import { rankRefinedRows } from './refine.js';
import { unionSource } from './sql.js';
import { computePsiFromEdges, recomputeInaccurateStd, strip, sumInOrder, summarise } from './summary.js';
import { type KsStatistic, type NumericComparison, type NumericOptions, QUANTILE_PERCENTS } from './types.js';

export interface NumericColumnInput {
  session: Session;
  /** The `train` and `prod` relations (quoted SQL names). */
  relations: { train: string; prod: string };
  column: string;
  /** The snapshots' row counts. */
  rows: { train: number; prod: number };
  transform: BucketTransform;
  options: NumericOptions;
}

/** Both sides hold a single distinct value each. */
function isConstant(b: Buckets): boolean {
  const singleValued = (k: Float64Array, lo: Float64Array, hi: Float64Array) => {
    let held = -1;
    for (let i = 0; i < b.size; i++) {
      if (k[i]! > 0) {
        if (held >= 0) return false;
        held = i;
      }
    }
    return held >= 0 && lo[held] === hi[held];
  };
  return singleValued(b.k1, b.lo1, b.hi1) && singleValued(b.k2, b.lo2, b.hi2);
}

/** Compare one numeric column between the two snapshots. */
export async function compareNumericColumn(input: NumericColumnInput): Promise<NumericComparison> {
  const { session, relations, column, rows, transform, options } = input;
  const source = unionSource(relations, column);
  const bucketKey = bucketExpression(transform);
  const { buckets: raw, side } = await readBuckets(session, source, bucketKey, transform);
  const b = mergeOverlapping(raw, options.singlePartition === true);
  const n1 = side[1].values;
  const n2 = side[2].values;

  const summaries = {
    train: summarise(side[1], rows.train, b, 1, transform.sumCentre),
    prod: summarise(side[2], rows.prod, b, 2, transform.sumCentre),
  };
  await recomputeInaccurateStd(session, column, [
    [summaries.train, relations.train],
    [summaries.prod, relations.prod],
  ]);
  const work = { buckets: raw.size, groups: b.size, refinedBuckets: 0, refinedRows: 0 };
  if (n1 === 0 || n2 === 0) {
    const train = strip(summaries.train);
    const prod = strip(summaries.prod);
    return { train, prod, ks: null, wasserstein: null, psi: null, constant: false, work };
  }
  const constant = isConstant(b);

  // What the buckets say; each step marks the buckets whose rows must be ranked.
  const extremes = boundFromBucketEnds(b, n1, n2);
  const w1 = w1FromBuckets(b, side, transform.sumCentre);
  const targets = new QuantileTargets(b, side);
  const summaryTargets = {
    1: QUANTILE_PERCENTS.map((p) => targets.add(1, p, 100)),
    2: QUANTILE_PERCENTS.map((p) => targets.add(2, p, 100)),
  };
  const psiEdges = [];
  for (let k = 1; k < options.psiBins; k++) psiEdges.push(targets.add(1, k, options.psiBins));

  for (let i = 0; i < b.size; i++) {
    if (b.refine[i]) {
      work.refinedBuckets++;
      work.refinedRows += b.k1[i]! + b.k2[i]!;
    }
  }
  const innerSums =
    work.refinedBuckets > 0
      ? await rankRefinedRows({
          session,
          column,
          source,
          bucketKey,
          raw,
          b,
          side,
          extremes,
          innerFromRows: w1.innerFromRows,
          targets: targets.all,
        })
      : new Map<number, number>();

  for (const key of w1.innerFromRows) w1.parts.push(innerSums.get(key) ?? 0);
  const wasserstein = side[1].finite > 0 && side[2].finite > 0 ? sumInOrder(w1.parts) : null;

  for (const s of [1, 2] as const) {
    const summary = s === 1 ? summaries.train : summaries.prod;
    const found = summaryTargets[s];
    // `+ 0` turns -0 into 0: the two compare equal, and which one a rank lands on is arbitrary.
    if (found.every((t) => t?.value !== undefined)) summary.quantiles = found.map((t) => t!.value! + 0);
  }

  const psi = computePsiFromEdges(psiEdges, n1, n2, options);
  const { maxS, maxAt, minS, minAt } = extremes;
  const useMin = -minS > maxS;
  const ks: KsStatistic = {
    d: useMin ? Math.min(1, Math.max(0, -minS)) : maxS,
    sign: useMin ? -1 : 1,
    location: (useMin ? minAt : maxAt) + 0,
  };
  return { train: strip(summaries.train), prod: strip(summaries.prod), ks, wasserstein, psi, constant, work };
}
