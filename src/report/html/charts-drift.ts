// Vega-Lite specs for the drift HTML report: train-vs-prod ECDFs with the KS statistic marked,
// overlaid histograms and paired category bars from the result's plot data; and, for a result
// without plot data, quartile strips and the largest category shifts from its summary numbers.
import type { TopLevelSpec } from 'vega-lite';
import type { CategoricalDriftPlot, NumericDriftPlot } from '../../drift/plot-data.js';
import type { FeatureResult } from '../../drift/types.js';
import { num } from '../format.js';

export const SIDE_COLORS = { train: '#1f77b4', prod: '#ff7f0e' };
const SIDES = ['train', 'prod'] as const;
const color = {
  field: 'side',
  type: 'nominal' as const,
  title: null,
  scale: { domain: [...SIDES], range: [SIDE_COLORS.train, SIDE_COLORS.prod] },
  legend: null,
};
const WIDTH = 400;
const HEIGHT = 200;

/** Bin edges of a numeric plot: lo + k·width, k = 0 … bins. */
function edge(plot: NumericDriftPlot, k: number): number {
  return k === plot.train.counts.length ? plot.hi : plot.lo + k * plot.width;
}

export function ecdfSpec(plot: NumericDriftPlot): TopLevelSpec {
  const values = SIDES.flatMap((side) => {
    const s = plot[side];
    let cumulative = s.below;
    const points = [{ side, x: plot.lo, f: s.n > 0 ? cumulative / s.n : 0 }];
    s.counts.forEach((count, k) => {
      cumulative += count;
      points.push({ side, x: edge(plot, k + 1), f: s.n > 0 ? cumulative / s.n : 0 });
    });
    return points;
  });
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: null,
    scale: { domain: [plot.lo, plot.hi], nice: false, zero: false },
  };
  const layers: unknown[] = [
    {
      data: { values },
      // Integer features: the ECDF jumps at each value, halfway between the bin edges.
      mark: { type: 'line', strokeWidth: 2, interpolate: plot.integer ? 'step' : 'linear' },
      encoding: {
        x,
        y: {
          field: 'f',
          type: 'quantitative',
          title: 'share ≤ x',
          axis: { format: '.0%', tickCount: 5 },
          scale: { domain: [0, 1] },
        },
        color,
      },
    },
  ];
  if (plot.ks) {
    const d = Math.abs(plot.ks.train - plot.ks.prod);
    const marker = [
      { x: plot.ks.x, y: plot.ks.train, y2: plot.ks.prod, label: `D = ${num(d, 3)} at ${num(plot.ks.x, 4)}` },
    ];
    layers.push(
      {
        data: { values: marker },
        mark: { type: 'rule', color: '#b71c1c', strokeWidth: 3 },
        encoding: { x, y: { field: 'y', type: 'quantitative' }, y2: { field: 'y2' } },
      },
      {
        data: { values: marker },
        mark: { type: 'rule', color: '#b71c1c', strokeDash: [2, 3], strokeWidth: 1 },
        encoding: { x },
      },
      // The label twice: a white outline under it keeps it readable over the curves.
      ...[{ stroke: 'white', strokeWidth: 3 }, {}].map((halo) => ({
        data: { values: marker },
        mark: {
          type: 'text',
          align: plot.ks!.x > (plot.lo + plot.hi) / 2 ? 'right' : 'left',
          dx: plot.ks!.x > (plot.lo + plot.hi) / 2 ? -6 : 6,
          y: 12,
          color: '#b71c1c',
          fontWeight: 'bold',
          fontSize: 11,
          ...halo,
        },
        encoding: { x, text: { field: 'label' } },
      })),
    );
  }
  return { width: WIDTH, height: HEIGHT, layer: layers } as TopLevelSpec;
}

export function histogramSpec(plot: NumericDriftPlot): TopLevelSpec {
  // Continuous features: pairs of fine bins merged, so that a bar holds enough values to compare.
  const group = plot.integer ? 1 : 2;
  const bins = plot.train.counts.length;
  const values = SIDES.flatMap((side) => {
    const s = plot[side];
    const out: { side: string; x: number; x2: number; share: number }[] = [];
    for (let k = 0; k < bins; k += group) {
      const count = s.counts.slice(k, k + group).reduce((a, b) => a + b, 0);
      out.push({
        side,
        x: edge(plot, k),
        x2: edge(plot, Math.min(bins, k + group)),
        share: s.n > 0 ? count / s.n : 0,
      });
    }
    return out;
  });
  return {
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'rect', opacity: 0.45, stroke: null },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: null,
        scale: { domain: [plot.lo, plot.hi], nice: false, zero: false },
      },
      x2: { field: 'x2' },
      y: {
        field: 'share',
        type: 'quantitative',
        title: 'share of values',
        axis: { format: '.1%', tickCount: 4 },
      },
      y2: { datum: 0 },
      color,
    },
  } as TopLevelSpec;
}

export function categoriesSpec(plot: CategoricalDriftPlot): TopLevelSpec {
  // Rank in front of the value keeps identical-looking labels apart and the order fixed.
  const order = plot.categories.map((c, i) => `${String(i + 1).padStart(2, '0')} ${c.value}`);
  const values = plot.categories.flatMap((c, i) => [
    { category: order[i], side: 'train', share: plot.train_n > 0 ? c.train / plot.train_n : 0 },
    { category: order[i], side: 'prod', share: plot.prod_n > 0 ? c.prod / plot.prod_n : 0 },
  ]);
  return categoryBars(values, order);
}

/** Without plot data: the top category shifts the drift test reported. */
export function categoryShiftsSpec(f: FeatureResult): TopLevelSpec | null {
  const shifts = f.categorical?.top_shifts ?? [];
  if (shifts.length === 0) return null;
  const order = shifts.map((s, i) => `${String(i + 1).padStart(2, '0')} ${s.category}`);
  const values = shifts.flatMap((s, i) => [
    { category: order[i], side: 'train', share: s.train_share },
    { category: order[i], side: 'prod', share: s.prod_share },
  ]);
  return categoryBars(values, order);
}

function categoryBars(
  values: { category: string | undefined; side: string; share: number }[],
  order: string[],
): TopLevelSpec {
  return {
    width: WIDTH,
    height: { step: 11 },
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: {
        field: 'category',
        type: 'nominal',
        title: null,
        sort: order,
        axis: { labelLimit: 180, labelExpr: 'slice(datum.label, 3)' },
      },
      yOffset: { field: 'side', sort: [...SIDES] },
      x: {
        field: 'share',
        type: 'quantitative',
        title: 'share of non-missing values',
        axis: { format: '.0%', tickCount: 5 },
      },
      color,
    },
  } as TopLevelSpec;
}

/** Without plot data: the 1st, 25th, 50th, 75th and 99th percentiles of each side as a strip. */
export function quantilesSpec(f: FeatureResult): TopLevelSpec | null {
  const rows = SIDES.flatMap((side) => {
    const q = f[side].quantiles;
    return q ? [{ side, p01: q.p01, p25: q.p25, p50: q.p50, p75: q.p75, p99: q.p99 }] : [];
  });
  if (rows.length === 0) return null;
  const y = { field: 'side', type: 'nominal' as const, title: null, sort: [...SIDES] };
  const x = {
    type: 'quantitative' as const,
    title: 'percentiles 1 · 25 · 50 · 75 · 99',
    scale: { zero: false },
  };
  return {
    width: WIDTH,
    height: { step: 34 },
    data: { values: rows },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { y, x: { field: 'p01', ...x }, x2: { field: 'p99' }, color },
      },
      {
        mark: { type: 'bar', size: 16 },
        encoding: { y, x: { field: 'p25', ...x }, x2: { field: 'p75' }, color },
      },
      {
        mark: { type: 'tick', color: 'white', size: 16, thickness: 2 },
        encoding: { y, x: { field: 'p50', ...x } },
      },
    ],
  } as TopLevelSpec;
}

/** The share of missing values (NULL or NaN) on each side. */
export function missingSpec(f: FeatureResult): TopLevelSpec {
  const values = SIDES.map((side) => ({ side, share: f[side].null_rate }));
  return {
    width: WIDTH,
    height: { step: 18 },
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'side', type: 'nominal', title: null, sort: [...SIDES] },
      x: {
        field: 'share',
        type: 'quantitative',
        title: 'share of rows missing',
        axis: { format: '.0%', tickCount: 5 },
        scale: { domainMin: 0 },
      },
      color,
    },
  } as TopLevelSpec;
}
