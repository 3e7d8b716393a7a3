// Aggregated data for the charts of the HTML report, computed in DuckDB over the diff engine's
// joined table: differing rows per time bucket, and a bounded, deterministic sample of
// (left, right) value pairs per numeric feature that differs — differing rows first, the rest
// agreeing ones.
// Never raw rows: its size does not grow with the input (a few hundred buckets, at most
// MAX_SCATTER_FEATURES × MAX_SCATTER_ROWS pairs).
import type { Session } from '../io/index.js';
import { quoteIdent } from '../io/index.js';
import { BOTH_SIDES, countIf } from './compare-sql.js';
import { aggregateInPasses } from './summarise.js';
import type { DiffPlots, DiffTimeline, FeatureScatter, ScatterPoint } from './types.js';

/** Most buckets on the timeline; the bucket width is the smallest nice width that fits. */
export const MAX_TIMELINE_BUCKETS = 300;
/** Features broken down on the timeline (those with most mismatches). */
export const TIMELINE_FEATURES = 6;
/** Features with a scatter (those with most mismatches; agreeing features would only draw the diagonal). */
export const MAX_SCATTER_FEATURES = 12;
/** Rows drawn per feature before identical (left, right) pairs are merged. */
export const MAX_SCATTER_ROWS = 2000;
/** Of those, kept for agreeing rows (when there are that many): they show where the diagonal is. */
export const MIN_AGREEING_ROWS = 500;

/** One comparable feature as it appears in the joined table. */
export interface PlotFeature {
  name: string;
  /** Columns of the joined table: left value, right value, mismatch flag (NULL unless on both sides). */
  left: string;
  right: string;
  mismatch: string;
  numeric: boolean;
  mismatches: number;
}

export interface PlotDataOptions {
  /**
   * The joined table: the key and window columns, the feature columns named in `features`,
   * and `__status` ('match' | 'mismatch' | 'only_left' | 'only_right').
   */
  table: string;
  keyColumns: string[];
  timeColumns: string[];
  features: PlotFeature[];
  /** A scatter entry for every numeric feature, differing or not (a shard: the merge adds them up and picks). */
  everyFeature?: boolean;
}

const BUCKETS: [label: string, seconds: number][] = [
  ['1 second', 1],
  ['5 seconds', 5],
  ['15 seconds', 15],
  ['1 minute', 60],
  ['5 minutes', 300],
  ['15 minutes', 900],
  ['1 hour', 3600],
  ['3 hours', 3 * 3600],
  ['6 hours', 6 * 3600],
  ['1 day', 86_400],
  ['7 days', 7 * 86_400],
  ['1 month', 2_629_746],
  ['3 months', 7_889_238],
  ['1 year', 31_556_952],
  ['10 years', 315_569_520],
  ['100 years', 3_155_695_200],
];

/** The smallest bucket width that puts the span into at most MAX_TIMELINE_BUCKETS buckets. */
export function pickBucket(spanSeconds: number): [label: string, seconds: number] {
  return (
    BUCKETS.find(([, seconds]) => Math.floor(spanSeconds / seconds) + 1 <= MAX_TIMELINE_BUCKETS) ??
    BUCKETS[BUCKETS.length - 1]!
  );
}

export async function computeDiffPlots(session: Session, options: PlotDataOptions): Promise<DiffPlots> {
  return {
    timeline: await computeTimeline(session, options),
    scatter: await computeScatter(session, options),
  };
}

function isTimeType(type: string): boolean {
  return /^(TIMESTAMP|DATE)/.test(type);
}

async function computeTimeline(session: Session, options: PlotDataOptions): Promise<DiffTimeline | null> {
  const column = options.timeColumns[0];
  if (column === undefined) return null;
  const type = (await session.columnsOf(options.table)).find((c) => c.name === column)?.type;
  if (type === undefined || !isTimeType(type)) return null;
  const t = `CAST(${quoteIdent(column)} AS TIMESTAMP)`;
  const span = (
    await session.rows(
      `SELECT epoch(max(${t})) - epoch(min(${t})) AS span, ${countIf(`${t} IS NULL`)} AS nulls FROM ${quoteIdent(options.table)}`,
    )
  )[0]!;
  const [bucket, bucketSeconds] = pickBucket(Number(span.span ?? 0));
  const top = options.features
    .filter((f) => f.mismatches > 0)
    .sort((a, b) => b.mismatches - a.mismatches || (a.name < b.name ? -1 : 1))
    .slice(0, TIMELINE_FEATURES);
  const rows = await session.rows(
    `SELECT time_bucket(INTERVAL '${bucket}', ${t}) AS start,
       count(*) AS windows,
       ${countIf(`__status = 'mismatch'`)} AS mismatched,
       ${countIf(`__status = 'only_left'`)} AS only_left,
       ${countIf(`__status = 'only_right'`)} AS only_right
       ${top.map((f, i) => `, ${countIf(quoteIdent(f.mismatch))} AS f${i}`).join('')}
     FROM ${quoteIdent(options.table)} WHERE ${t} IS NOT NULL
     GROUP BY ALL ORDER BY start`,
  );
  return {
    column,
    bucket,
    bucket_seconds: bucketSeconds,
    features: top.map((f) => f.name),
    buckets: rows.map((row) => ({
      start: (row.start as Date).toISOString(),
      windows: Number(row.windows),
      mismatched: Number(row.mismatched),
      only_left: Number(row.only_left),
      only_right: Number(row.only_right),
      feature_mismatches: top.map((_, i) => Number(row[`f${i}`])),
    })),
    rows_without_time: Number(span.nulls ?? 0),
  };
}

const TWO_64 = 2n ** 64n;

/** A UBIGINT bound below which a uniform 64-bit hash falls with probability `p` (capped at 1). */
function hashBound(p: number): string | null {
  if (p >= 1) return null;
  const scaled = BigInt(Math.floor(p * 2 ** 53)) * (TWO_64 / 2n ** 53n);
  return `${scaled}::UBIGINT`;
}

async function computeScatter(session: Session, options: PlotDataOptions): Promise<FeatureScatter[]> {
  const table = quoteIdent(options.table);
  // Only features that differ get a scatter (agreeing ones would only draw the diagonal), unless
  // a shard lists them all for the merge.
  const numeric = options.features.filter((f) => f.numeric && (options.everyFeature || f.mismatches > 0));
  if (numeric.length === 0) return [];
  const finite = (f: PlotFeature) =>
    `(isfinite(CAST(${quoteIdent(f.left)} AS DOUBLE)) AND isfinite(CAST(${quoteIdent(f.right)} AS DOUBLE)))`;

  // 1. Rows where both values are finite, and how many of those differ, per feature.
  const counts = await aggregateInPasses(
    session,
    table,
    numeric.flatMap((f, i) => [
      `${countIf(finite(f))} AS n${i}`,
      `${countIf(`${finite(f)} AND ${quoteIdent(f.mismatch)}`)} AS m${i}`,
    ]),
    `WHERE ${BOTH_SIDES}`,
  );
  const chosen = numeric
    .map((f, i) => ({ feature: f, rows: Number(counts[`n${i}`]), mismatches: Number(counts[`m${i}`]) }))
    .filter((c) => options.everyFeature || c.mismatches > 0)
    .sort((a, b) => b.mismatches - a.mismatches || (a.feature.name < b.feature.name ? -1 : 1))
    .slice(0, options.everyFeature ? undefined : MAX_SCATTER_FEATURES);
  if (chosen.length === 0) return [];

  // 2. How many differing and agreeing rows to draw per feature. One pass keeps every row that
  //    could be drawn: the row hash is compared with a per-feature bound that keeps about 1.5×
  //    the rows needed, so the next step only sorts a small table.
  const plan = chosen.map((c) => {
    const agreeing = c.rows - c.mismatches;
    const differing = Math.min(c.mismatches, MAX_SCATTER_ROWS - Math.min(agreeing, MIN_AGREEING_ROWS));
    return { ...c, differing, agreeing: Math.min(agreeing, MAX_SCATTER_ROWS - differing) };
  });
  const align = [...options.keyColumns, ...options.timeColumns].map(quoteIdent);
  const bound = (want: number, of: number) => {
    const b = of > 0 ? hashBound((1.5 * want + 32) / of) : null;
    return b === null ? 'true' : `__plot_hash < ${b}`;
  };
  const clauses = plan.map(({ feature: f, rows, mismatches, differing, agreeing }) => {
    const m = quoteIdent(f.mismatch);
    return `(${finite(f)} AND ((${m} AND ${bound(differing, mismatches)}) OR (NOT ${m} AND ${bound(agreeing, rows - mismatches)})))`;
  });
  const columns = chosen.flatMap(({ feature: f }) => [f.left, f.right, f.mismatch]).map(quoteIdent);
  const sample = '__plot_sample';
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${sample} AS
     SELECT * FROM (SELECT hash(${align.join(', ')}) AS __plot_hash, ${align.join(', ')}, ${columns.join(', ')}
                    FROM ${table} WHERE ${BOTH_SIDES})
     WHERE ${clauses.join(' OR ')}`,
  );

  // 3. Per feature: the first rows of each kind in hash order (ties broken by key and window),
  //    merged into distinct (left, right) points.
  const order = align.map((c) => `${c} ASC NULLS FIRST`).join(', ');
  const scatter: FeatureScatter[] = [];
  for (const { feature: f, rows, mismatches, differing, agreeing } of plan) {
    const l = quoteIdent(f.left);
    const r = quoteIdent(f.right);
    const m = quoteIdent(f.mismatch);
    const pick = (flag: string, limit: number) =>
      `(SELECT CAST(${l} AS DOUBLE) AS l, CAST(${r} AS DOUBLE) AS r, ${m} AS m FROM ${sample}
        WHERE ${finite(f)} AND ${flag} ORDER BY __plot_hash, ${order} LIMIT ${limit})`;
    const points = await session.rows(
      `SELECT l, r, m, count(*) AS n FROM (${pick(m, differing)} UNION ALL ${pick(`NOT ${m}`, agreeing)})
       GROUP BY ALL ORDER BY m DESC, l, r`,
    );
    const drawn: ScatterPoint[] = points.map((p) => ({
      left: Number(p.l),
      right: Number(p.r),
      mismatch: p.m === true,
      rows: Number(p.n),
    }));
    scatter.push({
      feature: f.name,
      rows,
      mismatches,
      sampled_rows: drawn.reduce((sum, p) => sum + p.rows, 0),
      points: drawn,
    });
  }
  await session.run(`DROP TABLE IF EXISTS ${sample}`);
  return scatter;
}
