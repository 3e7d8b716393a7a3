// Aggregated data for the charts of the drift HTML report, computed in DuckDB from the two
// snapshots: per numeric feature, counts in shared bins over the central range of both sides
// (histogram and binned ECDF) and the exact ECDF values where KS D is attained; per categorical
// feature, the counts of the categories that weigh most on either side. Never raw rows: at most
// MAX_PLOTTED_FEATURES × NUMERIC_BINS counts, whatever the snapshot size.
import { quoteIdent, registerSource, type Session, withSession } from '../io/index.js';
import { lowerBound, type SideValues, upperBound } from './numeric/index.js';
import { literal } from './numeric/sql.js';
import { valueCount } from './numeric/types.js';
import type {
  CategoricalDriftPlot,
  DriftFeaturePlot,
  DriftPlots,
  NumericDriftPlot,
  SideBins,
} from './plot-types.js';
import type { DriftResult, FeatureResult } from './types.js';

export type { CategoricalDriftPlot, DriftPlots, NumericDriftPlot };

/** Features with plot data, the most severe first (the order of the result's features). */
export const MAX_PLOTTED_FEATURES = 40;
/** Equal-width bins per numeric feature (an integer feature with a small range gets one per value). */
export const NUMERIC_BINS = 100;
export const TOP_CATEGORIES = 15;

const INTEGER_TYPE = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT))$/;

function values(relation: string, column: string, side: string, cast: string): string {
  const c = quoteIdent(column);
  return `SELECT '${side}' AS side, CAST(${c} AS ${cast}) AS x FROM ${relation} WHERE ${c} IS NOT NULL`;
}

/** The range and bins a numeric feature's chart shows, from its result; null without quantiles. */
interface PlotRange {
  lo: number;
  hi: number;
  width: number;
  bins: number;
  integer: boolean;
  /** The finite value where KS D is attained, if any. */
  location: number | null;
}

function plotRange(f: FeatureResult): PlotRange | null {
  const qt = f.train.quantiles;
  const qp = f.prod.quantiles;
  if (!qt || !qp) return null;
  let lo = Math.min(qt.p01, qp.p01);
  let hi = Math.max(qt.p99, qp.p99);
  if (!(hi > lo)) {
    lo = Math.min(f.train.min ?? lo, f.prod.min ?? lo);
    hi = Math.max(f.train.max ?? hi, f.prod.max ?? hi);
  }
  const at = f.numeric?.statistic_location;
  const location = at !== null && at !== undefined && Number.isFinite(at) ? at : null;
  if (location !== null) {
    lo = Math.min(lo, location);
    hi = Math.max(hi, location);
  }
  const integer =
    INTEGER_TYPE.test(f.train.type ?? '') && INTEGER_TYPE.test(f.prod.type ?? '') && hi - lo < NUMERIC_BINS;
  if (integer) {
    lo = Math.round(lo) - 0.5;
    hi = Math.round(hi) + 0.5;
    return { lo, hi, width: 1, bins: hi - lo, integer, location };
  }
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  return { lo, hi, width: (hi - lo) / NUMERIC_BINS, bins: NUMERIC_BINS, integer, location };
}

async function numericPlot(
  session: Session,
  relations: { train: string; prod: string },
  f: FeatureResult,
): Promise<NumericDriftPlot | null> {
  const range = plotRange(f);
  if (!range) return null;
  const { lo, hi, width, bins, integer, location } = range;
  const v = `(${values(relations.train, f.name, 'train', 'DOUBLE')} UNION ALL ${values(relations.prod, f.name, 'prod', 'DOUBLE')})`;
  const [loSql, hiSql, widthSql] = [lo, hi, width].map(literal);
  const bin = `CASE WHEN x < ${loSql} THEN -1 WHEN x > ${hiSql} THEN ${bins} ELSE least(floor((x - ${loSql}) / ${widthSql}), ${bins - 1})::INTEGER END`;
  const rows = await session.rows(
    `SELECT side, ${bin} AS bin, count(*) AS n FROM ${v} WHERE NOT isnan(x) GROUP BY ALL ORDER BY side, bin`,
  );
  const side = (name: string): SideBins => {
    const out: SideBins = { n: 0, below: 0, above: 0, counts: new Array<number>(bins).fill(0) };
    for (const row of rows.filter((r) => r.side === name)) {
      const b = Number(row.bin);
      const n = Number(row.n);
      out.n += n;
      if (b < 0) out.below += n;
      else if (b >= bins) out.above += n;
      else out.counts[b] = n;
    }
    return out;
  };
  const train = side('train');
  const prod = side('prod');
  let ks: NumericDriftPlot['ks'] = null;
  if (location !== null && train.n > 0 && prod.n > 0) {
    const at = await session.rows(
      `SELECT side, count(*) FILTER (WHERE x <= ${literal(location)}) AS le FROM ${v} WHERE NOT isnan(x) GROUP BY side ORDER BY side`,
    );
    const le = (name: string) => Number(at.find((r) => r.side === name)?.le ?? 0);
    ks = { x: location, train: le('train') / train.n, prod: le('prod') / prod.n };
  }
  return { feature: f.name, kind: 'numeric', lo, hi, width, integer, train, prod, ks };
}

/** One side's bins from its sorted values: the same bins as the SQL above, by binary search. */
function sortedSideBins(side: SideValues, range: PlotRange): SideBins {
  const { lo, hi, width, bins } = range;
  const a = side.finite;
  const binOf = (x: number) => Math.min(Math.floor((x - lo) / width), bins - 1);
  const start = lowerBound(a, lo);
  const end = upperBound(a, hi);
  const counts = new Array<number>(bins).fill(0);
  let from = start;
  for (let k = 0; k < bins && from < end; k++) {
    // First index in [from, end) whose bin is past k (bins increase with the value).
    let l = from;
    let h = end;
    while (l < h) {
      const mid = (l + h) >>> 1;
      if (binOf(a[mid]!) <= k) l = mid + 1;
      else h = mid;
    }
    counts[k] = l - from;
    from = l;
  }
  const n = valueCount(side);
  return { n, below: side.negInf + start, above: a.length - end + side.posInf, counts };
}

/** A numeric feature's plot from both sides' sorted values (while a run still holds them). */
export function numericPlotFromValues(
  f: FeatureResult,
  trainValues: SideValues,
  prodValues: SideValues,
): NumericDriftPlot | null {
  const range = plotRange(f);
  if (!range) return null;
  const { lo, hi, width, integer, location } = range;
  const train = sortedSideBins(trainValues, range);
  const prod = sortedSideBins(prodValues, range);
  let ks: NumericDriftPlot['ks'] = null;
  if (location !== null && train.n > 0 && prod.n > 0) {
    const le = (s: SideValues) => s.negInf + upperBound(s.finite, location);
    ks = { x: location, train: le(trainValues) / train.n, prod: le(prodValues) / prod.n };
  }
  return { feature: f.name, kind: 'numeric', lo, hi, width, integer, train, prod, ks };
}

async function categoricalPlot(
  session: Session,
  relations: { train: string; prod: string },
  f: FeatureResult,
): Promise<CategoricalDriftPlot | null> {
  const nt = f.train.count;
  const np = f.prod.count;
  if (nt === 0 && np === 0) return null;
  const v = `(${values(relations.train, f.name, 'train', 'VARCHAR')} UNION ALL ${values(relations.prod, f.name, 'prod', 'VARCHAR')})`;
  const share = (column: string, n: number) => (n > 0 ? `${column} / ${n}` : '0');
  const rows = await session.rows(
    `SELECT x AS value, t, p, count(*) OVER () AS distinct_values FROM (
       SELECT x, count(*) FILTER (WHERE side = 'train') AS t, count(*) FILTER (WHERE side = 'prod') AS p
       FROM ${v} GROUP BY x
     ) ORDER BY greatest(${share('t', nt)}, ${share('p', np)}) DESC, value LIMIT ${TOP_CATEGORIES}`,
  );
  return {
    feature: f.name,
    kind: 'categorical',
    train_n: nt,
    prod_n: np,
    distinct: rows.length > 0 ? Number(rows[0]!.distinct_values) : 0,
    categories: rows.map((r) => ({ value: String(r.value), train: Number(r.t), prod: Number(r.p) })),
  };
}

/**
 * Plot data for the tested features of a drift run. `relations` are the (quoted) relations the
 * features were compared on; `features` are the results, most severe first. Numeric plots the
 * run already made from its sorted values (`numericPlots`, by feature) are not read again.
 */
export async function computeDriftPlots(
  session: Session,
  relations: { train: string; prod: string },
  features: FeatureResult[],
  numericPlots: ReadonlyMap<string, NumericDriftPlot | null> = new Map(),
): Promise<DriftPlots> {
  const plotted: DriftFeaturePlot[] = [];
  for (const f of features) {
    if (plotted.length >= MAX_PLOTTED_FEATURES) break;
    if (f.status !== 'tested') continue;
    const plot =
      f.kind === 'numeric'
        ? numericPlots.has(f.name)
          ? numericPlots.get(f.name)!
          : await numericPlot(session, relations, f)
        : f.kind === 'categorical'
          ? await categoricalPlot(session, relations, f)
          : null;
    if (plot) plotted.push(plot);
  }
  return { features: plotted };
}

/**
 * The same plot data for a finished result, reading its two snapshots again in a session of its
 * own (for a result that was computed without plots).
 */
export async function computeDriftPlotsFromFiles(result: DriftResult): Promise<DriftPlots> {
  return withSession(async (session) => {
    const { train, prod } = result.snapshots;
    await registerSource(session, 'plot_train', train.source, {
      format: train.format,
      what: 'training snapshot',
    });
    await registerSource(session, 'plot_prod', prod.source, {
      format: prod.format,
      what: 'production snapshot',
    });
    return computeDriftPlots(
      session,
      { train: quoteIdent('plot_train'), prod: quoteIdent('plot_prod') },
      result.features,
    );
  });
}
