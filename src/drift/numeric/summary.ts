// Per-side descriptive statistics (counts, mean, std, extremes) from the bucket table, and PSI
// from the cumulative counts at the training deciles.
import type { Session } from '../../io/index.js';
import { quoteIdent } from '../../io/index.js';
import type { QuantileTarget } from './bucket-bounds.js';
import type { Buckets, SideCounts } from './buckets.js';
import { columns } from './sql.js';
import type { NumericOptions, NumericSideSummary } from './types.js';

/** Σ in array order (deterministic given a deterministic order). */
export function sumInOrder(parts: number[]): number {
  let total = 0;
  for (const p of parts) total += p;
  return total;
}

export type SummaryDraft = NumericSideSummary & { stdIsAccurate?: boolean };

export function strip(summary: SummaryDraft): NumericSideSummary {
  const { stdIsAccurate: _ignored, ...rest } = summary;
  return rest;
}

export function summarise(
  counts: SideCounts,
  rows: number,
  b: Buckets,
  s: 1 | 2,
  centre: number,
): SummaryDraft {
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
    stdIsAccurate: Number.isFinite(m2) && !(meanSquare > 0 && m2 < 1e-6 * meanSquare),
  };
}

/** PSI over the bins (-inf, e1], (e1, e2], …, (e_{B-1}, inf) from cumulative counts at the edges. */
export function computePsiFromEdges(
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

/**
 * Σ(x - centre)² loses its precision to cancellation when values lie far from the training
 * centre relative to their spread, and overflows when their squares exceed a double (|x| near
 * 1e155 and beyond): recompute such a side's std directly, scaled by its largest |x| if need be.
 */
export async function recomputeInaccurateStd(
  session: Session,
  column: string,
  sides: [SummaryDraft, string][],
): Promise<void> {
  for (const [summary, relation] of sides) {
    if (summary.std === null || summary.stdIsAccurate) continue;
    const values = `SELECT CAST(${quoteIdent(column)} AS DOUBLE) AS v FROM ${relation}`;
    const plain = `SELECT stddev_samp(v) FROM (${values}) WHERE isfinite(v)`;
    const scaled = `WITH s AS (${values} WHERE isfinite(v)),
      m AS (SELECT coalesce(nullif(max(abs(v)), 0), 1) AS m FROM s)
      SELECT stddev_samp(s.v / m.m) * any_value(m.m) FROM s, m`;
    const [[std]] = (await columns(session, plain).catch((error) => {
      if (!/out of range/i.test(String(error))) throw error;
      return columns(session, scaled);
    })) as [(number | null)[]];
    summary.std = std ?? null;
  }
}
