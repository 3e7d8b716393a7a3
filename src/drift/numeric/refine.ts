// Ranking the rows of refined buckets exactly: a window over their rows only, partitioned by
// bucket, from which the extremes of F_train - F_prod, the W1 integrals of buckets whose sign
// changes, and the values of quantile targets inside buckets are read.
import { BIGINT, INTEGER, UTINYINT } from '@duckdb/node-api';
import type { Session } from '../../io/index.js';
import { quoteIdent, TableWriter } from '../../io/index.js';
import type { Extremes, QuantileTarget } from './bucket-bounds.js';
import type { Buckets, SideCounts } from './buckets.js';
import { columns, literal } from './sql.js';

/** Above this many value ranges, refined rows are selected by their bucket key instead. */
const MAX_RANGE_FILTERS = 24;

let tableCounter = 0;

export interface RefineInput {
  session: Session;
  column: string;
  /** Both snapshots' values (v, s) and the SQL of their bucket key. */
  source: string;
  bucketKey: string;
  /** Raw buckets (their keys) and the groups after merging, with `refine` marked. */
  raw: Buckets;
  b: Buckets;
  side: Record<1 | 2, SideCounts>;
  /** Updated in place when a ranked row reaches further. */
  extremes: Extremes;
  /** Keys of the buckets whose W1 part comes from their rows. */
  innerFromRows: number[];
  /** Every quantile target; the pending ones (no value yet) get their value here. */
  targets: QuantileTarget[];
}

/** Rank the refined rows; returns each inner-W1 bucket's integral by bucket key. */
export async function rankRefinedRows(input: RefineInput): Promise<Map<number, number>> {
  const { session, b } = input;
  const id = ++tableCounter;
  const refineTable = `drift_refine_${id}`;
  const rowsTable = `drift_ranked_${id}`;
  const targetTable = `drift_targets_${id}`;
  await writeRefineTable(input, refineTable);
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
         WITH x AS (SELECT v, s, ${input.bucketKey} AS k FROM (${input.source}) WHERE ${where}),
         y AS (SELECT r.b, x.v, CASE WHEN x.s = 1 THEN 4294967296::BIGINT ELSE 1::BIGINT END AS w, r.o1, r.o2
               FROM x JOIN ${quoteIdent(refineTable)} r ON x.k = r.k),
         z AS (SELECT b, v, o1, o2, lead(v) OVER win AS vn, sum(w) OVER win AS packed FROM y
               WINDOW win AS (PARTITION BY b ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))
         SELECT b, v, vn, (o1 + (packed >> 32))::BIGINT AS c1, (o2 + (packed & 4294967295))::BIGINT AS c2 FROM z`,
    );
    const ranked = quoteIdent(rowsTable);
    await rankedExtremes(input, ranked);
    const innerSums = await rankedW1(input, ranked);
    await rankedTargets(input, ranked, targetTable);
    return innerSums;
  } finally {
    for (const table of [refineTable, rowsTable, targetTable]) {
      await session.run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
    }
  }
}

/** Raw bucket key → group key and the counts before the group. */
async function writeRefineTable(input: RefineInput, table: string): Promise<void> {
  const { b, raw } = input;
  const writer = await TableWriter.create(input.session, table, [
    { name: 'k', type: BIGINT },
    { name: 'b', type: BIGINT },
    { name: 'o1', type: BIGINT },
    { name: 'o2', type: BIGINT },
  ]);
  for (let i = 0; i < b.size; i++) {
    if (!b.refine[i]) continue;
    if (b.k2[i]! >= 2 ** 32) {
      // The packed running count keeps prod's count in 32 bits.
      throw new Error(
        `a bucket of column "${input.column}" holds ${b.k2[i]} production values, more than 2^32`,
      );
    }
    for (let r = b.first[i]!; r <= b.last[i]!; r++) {
      writer.append([BigInt(raw.key[r]!), BigInt(b.key[i]!), BigInt(b.o1[i]!), BigInt(b.o2[i]!)]);
    }
  }
  writer.close();
}

/** Extremes of F1 - F2 at the last row of each run of equal values. */
async function rankedExtremes(input: RefineInput, ranked: string): Promise<void> {
  const n1 = input.side[1].values;
  const n2 = input.side[2].values;
  const e = input.extremes;
  const [[rMax], [rMin], [rMaxAt], [rMinAt]] = (await columns(
    input.session,
    `SELECT max(d), min(d), arg_min(v, (-d, v)), arg_min(v, (d, v))
         FROM (SELECT v, c1::DOUBLE / ${n1} - c2::DOUBLE / ${n2} AS d FROM ${ranked} WHERE vn IS NULL OR vn <> v)`,
  )) as [(number | null)[], (number | null)[], (number | null)[], (number | null)[]];
  if (rMax !== null && rMax !== undefined && (rMax > e.maxS || (rMax === e.maxS && rMaxAt! < e.maxAt))) {
    e.maxS = rMax;
    e.maxAt = rMaxAt!;
  }
  if (rMin !== null && rMin !== undefined && (rMin < e.minS || (rMin === e.minS && rMinAt! < e.minAt))) {
    e.minS = rMin;
    e.minAt = rMinAt!;
  }
}

/** ∫|F1 - F2| over the ranked rows of each bucket whose sign changes inside. */
async function rankedW1(input: RefineInput, ranked: string): Promise<Map<number, number>> {
  const innerSums = new Map<number, number>();
  const { finite: f1, negInf: m1 } = input.side[1];
  const { finite: f2, negInf: m2 } = input.side[2];
  if (!(f1 > 0 && f2 > 0 && input.innerFromRows.length > 0)) return innerSums;
  const [bs, parts] = (await columns(
    input.session,
    `SELECT b::DOUBLE, fsum(abs((c1 - ${m1})::DOUBLE / ${f1} - (c2 - ${m2})::DOUBLE / ${f2}) * (vn - v))
           FROM ${ranked} WHERE vn > v AND isfinite(v) AND isfinite(vn) GROUP BY b`,
  )) as [number[], number[]];
  for (let i = 0; i < bs.length; i++) innerSums.set(bs[i]!, parts[i]!);
  return innerSums;
}

/** The value (and both cumulative counts there) of each target inside a refined bucket. */
async function rankedTargets(input: RefineInput, ranked: string, targetTable: string): Promise<void> {
  const { session, b, targets } = input;
  const pending = targets.filter((t) => t.value === undefined);
  if (pending.length === 0) return;
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
