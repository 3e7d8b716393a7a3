// The order-preserving bucket map of the numeric ECDF engine: an affine map of the value (or of
// its logarithm for positive right-skewed features), compressed logarithmically beyond ±4 scale
// units, chosen from a sample of the training snapshot. It only decides how much of the data has
// to be sorted; every result is exact whatever the map.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Session } from '../../io/index.js';
import { quoteIdent } from '../../io/index.js';
import { columns, literal } from './sql.js';

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

export const NAN_KEY = 9e18;
export const POS_INF_KEY = 8e18;
export const NEG_INF_KEY = -8e18;
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

/** SQL for chooseTransform's statistics over the leading sample, optionally on scaled values. */
function sampleStatistics(relation: string, columnNames: readonly string[], scaled: boolean): string {
  const parts = columnNames.map((name, i) => {
    const v = `CAST(${quoteIdent(name)} AS DOUBLE)`;
    const finite = `FILTER (WHERE isfinite(${v}))`;
    // DuckDB's ln() raises on x <= 0 even for rows a FILTER drops, so guard the argument itself.
    const logV = `ln(CASE WHEN isfinite(${v}) AND ${v} > 0 THEN ${v} END)`;
    const [m, scale] = [`m.m${i}`, `any_value(m.m${i})`];
    const location = scaled ? `avg(${v} / ${m}) ${finite} * ${scale}` : `avg(${v}) ${finite}`;
    const spread = scaled ? `stddev_pop(${v} / ${m}) ${finite} * ${scale}` : `stddev_pop(${v}) ${finite}`;
    return `${location}, ${spread}, min(${v}) ${finite}, avg(${logV}), stddev_pop(${logV})`;
  });
  const sample = `(SELECT * FROM ${relation} LIMIT ${TRANSFORM_SAMPLE_ROWS})`;
  if (!scaled) return `SELECT ${parts.join(', ')} FROM ${sample}`;
  const scales = columnNames.map((name, i) => {
    const v = `CAST(${quoteIdent(name)} AS DOUBLE)`;
    return `coalesce(nullif(max(abs(${v})) FILTER (WHERE isfinite(${v})), 0), 1) AS m${i}`;
  });
  return `WITH s AS ${sample}, m AS (SELECT ${scales.join(', ')} FROM s) SELECT ${parts.join(', ')} FROM s, m`;
}

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
  const threads = (await columns(session, "SELECT current_setting('threads')::INTEGER"))[0]?.[0];
  await session.run('SET threads = 1');
  let values: DuckDBValue[][];
  try {
    values = await columns(session, sampleStatistics(relation, columnNames, false)).catch((error) => {
      // Values whose squares overflow a double (|x| near 1e155 and beyond): DuckDB's stddev
      // raises "out of range". Measure them again scaled by each column's largest |x|.
      if (!/out of range/i.test(String(error))) throw error;
      return columns(session, sampleStatistics(relation, columnNames, true));
    });
  } finally {
    await session.run(`SET threads = ${Number(threads)}`);
  }
  columnNames.forEach((name, i) => {
    const at = (j: number) => (values[5 * i + j]![0] ?? null) as number | null;
    out.set(name, { mean: at(0), std: at(1), min: at(2), logMean: at(3), logStd: at(4) });
  });
  return out;
}
