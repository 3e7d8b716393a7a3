// Vega-Lite specs for the replay/diff HTML report, built from the result's aggregated plot data:
// when rows differ (timeline, day × hour), how the values differ (left vs right per feature),
// and which keys differ most.
import type { TopLevelSpec } from 'vega-lite';
import type { DiffResult, DiffTimeline, FeatureScatter } from '../../diff/index.js';
import { keyText, percent } from '../format.js';

export const COLORS = {
  differs: '#d62728',
  onlyLeft: '#ff9f1c',
  onlyRight: '#8e44ad',
  agrees: '#a3abb3',
  volume: '#c9d1d9',
};

const DAY = 86_400_000;

export function timelineSpec(result: DiffResult, timeline: DiffTimeline): TopLevelSpec {
  const { left, right } = result.sides;
  const kinds = [
    { key: 'mismatched' as const, label: 'values differ', color: COLORS.differs },
    { key: 'only_left' as const, label: `only in ${left.label}`, color: COLORS.onlyLeft },
    { key: 'only_right' as const, label: `only in ${right.label}`, color: COLORS.onlyRight },
  ].filter((k) => timeline.buckets.some((b) => b[k.key] > 0));
  // Stacked by hand (rects from y0 to y1) so that each bar spans its bucket exactly. A bucket
  // with few rows gives a noisy share: its bar is paler, in proportion to √rows.
  const busiest = Math.max(...timeline.buckets.map((b) => b.windows));
  const shares = timeline.buckets.flatMap((b) => {
    const start = Date.parse(b.start);
    const end = start + timeline.bucket_seconds * 1000;
    const weight = Math.round(100 * Math.max(0.3, Math.sqrt(b.windows / busiest))) / 100;
    let y0 = 0;
    return kinds
      .filter((k) => b[k.key] > 0)
      .map((k) => {
        const share = b[k.key] / b.windows;
        const rect = { start, end, kind: k.label, y0, y1: y0 + share, weight };
        y0 += share;
        return rect;
      });
  });
  const overall = result.summary.mismatch_rate;
  const volume = timeline.buckets.map((b) => {
    const start = Date.parse(b.start);
    return { start, end: start + timeline.bucket_seconds * 1000, windows: b.windows };
  });
  // Both rows share the x scale, so its domain spans every bucket, differing or not.
  const x = {
    field: 'start',
    type: 'temporal' as const,
    title: null,
    scale: { type: 'utc' as const },
    axis: { labelOverlap: true, grid: false },
  };
  return {
    vconcat: [
      {
        width: 880,
        height: 170,
        title: {
          text: `Share of (key, window) rows that differ, per ${timeline.bucket} of ${timeline.column} (UTC)`,
        },
        layer: [
          {
            data: { values: shares },
            mark: { type: 'rect' },
            encoding: {
              x,
              x2: { field: 'end' },
              y: { field: 'y1', type: 'quantitative', title: null, axis: { format: '.0%', tickCount: 4 } },
              y2: { field: 'y0' },
              color: {
                field: 'kind',
                type: 'nominal',
                title: null,
                scale: { domain: kinds.map((k) => k.label), range: kinds.map((k) => k.color) },
                legend: kinds.length > 1 ? {} : null,
              },
              opacity: {
                field: 'weight',
                type: 'quantitative',
                scale: { domain: [0, 1], range: [0, 1] },
                legend: null,
              },
            },
          },
          {
            data: { values: [{ overall }] },
            layer: [
              { mark: { type: 'rule', color: '#333', strokeDash: [5, 3], strokeWidth: 1 } },
              // The label twice: a white outline under it keeps it readable over the bars.
              ...[{ stroke: 'white', strokeWidth: 3 }, {}].map((halo) => ({
                mark: {
                  type: 'text',
                  align: 'right',
                  baseline: 'bottom',
                  dy: -3,
                  x: 'width',
                  color: '#333',
                  fontSize: 11,
                  ...halo,
                },
                encoding: { text: { value: `all rows: ${percent(overall)}` } },
              })),
            ],
            encoding: { y: { field: 'overall', type: 'quantitative' } },
          },
        ],
      },
      {
        width: 880,
        height: 50,
        title: {
          text: `(key, window) rows per ${timeline.bucket}`,
          fontSize: 11,
          fontWeight: 'normal',
          color: '#555',
        },
        data: { values: volume },
        mark: { type: 'rect', color: COLORS.volume },
        encoding: {
          x,
          x2: { field: 'end' },
          y: { field: 'windows', type: 'quantitative', title: null, axis: { tickCount: 2, format: '~s' } },
          y2: { datum: 0 },
        },
      },
    ],
    spacing: 12,
    resolve: { scale: { x: 'shared' } },
  } as TopLevelSpec;
}

/**
 * Day × hour-of-day grid of the share of rows that differ, when the buckets are an hour or
 * less and the span is a few days to two months: a skew that recurs at the same hour shows
 * as a column.
 */
export function dayHourSpec(timeline: DiffTimeline): TopLevelSpec | null {
  if (timeline.bucket_seconds > 3600 || timeline.buckets.length === 0) return null;
  const first = Date.parse(timeline.buckets[0]!.start);
  const last = Date.parse(timeline.buckets[timeline.buckets.length - 1]!.start);
  const days = Math.floor(last / DAY) - Math.floor(first / DAY) + 1;
  if (days < 2 || days > 62) return null;
  const cells = new Map<string, { day: string; hour: number; windows: number; differing: number }>();
  for (const b of timeline.buckets) {
    const day = b.start.slice(0, 10);
    const hour = Number(b.start.slice(11, 13));
    const key = `${day}T${hour}`;
    const cell = cells.get(key) ?? { day, hour, windows: 0, differing: 0 };
    cell.windows += b.windows;
    cell.differing += b.mismatched + b.only_left + b.only_right;
    cells.set(key, cell);
  }
  const values = [...cells.values()].map((c) => ({
    ...c,
    share: c.windows > 0 ? c.differing / c.windows : 0,
  }));
  // Every day × hour gets a pale cell, so an hour without rows reads as empty, not as missing.
  const firstDay = Math.floor(first / DAY) * DAY;
  const grid = Array.from({ length: days * 24 }, (_, i) => ({
    day: new Date(firstDay + Math.floor(i / 24) * DAY).toISOString().slice(0, 10),
    hour: i % 24,
  }));
  const x = {
    field: 'hour',
    type: 'ordinal' as const,
    title: 'hour of day',
    scale: { domain: [...Array(24).keys()] },
    axis: { labelAngle: 0 },
  };
  const y = { field: 'day', type: 'ordinal' as const, title: null, sort: 'ascending' as const };
  return {
    width: 24 * 22,
    height: { step: days > 31 ? 9 : 16 },
    title: { text: 'Share of rows that differ by day and hour (UTC)' },
    layer: [
      {
        data: { values: grid },
        mark: { type: 'rect', fill: '#f3f4f6', stroke: 'white', strokeWidth: 1 },
        encoding: { x, y },
      },
      {
        data: { values },
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          x,
          y,
          color: {
            field: 'share',
            type: 'quantitative',
            title: 'differ',
            scale: { scheme: 'reds', domainMin: 0 },
            legend: { format: '.0%', orient: 'right', gradientLength: 120 },
          },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Which side is larger in the differing rows drawn: tells over- from under-counting. */
export function scatterDirection(result: DiffResult, scatter: FeatureScatter): string {
  const { left, right } = result.sides;
  const differing = scatter.points.filter((p) => p.mismatch);
  const weight = differing.reduce((n, p) => n + p.rows, 0);
  if (weight === 0) return '';
  const higher = differing.filter((p) => p.right > p.left).reduce((n, p) => n + p.rows, 0);
  return higher * 2 >= weight
    ? `${right.label} is higher in ${percent(higher / weight)} of them`
    : `${left.label} is higher in ${percent((weight - higher) / weight)} of them`;
}

const SCATTER_SIZE = 250;

export function scatterSpec(result: DiffResult, scatter: FeatureScatter): TopLevelSpec {
  const { left, right } = result.sides;
  // Differing and agreeing rows are sampled at different rates: a dot's area stands for the
  // rows it represents in the whole table, not in the sample.
  const sampled = { differs: 0, agrees: 0 };
  for (const p of scatter.points) sampled[p.mismatch ? 'differs' : 'agrees'] += p.rows;
  const scaleUp = {
    differs: sampled.differs > 0 ? scatter.mismatches / sampled.differs : 1,
    agrees: sampled.agrees > 0 ? (scatter.rows - scatter.mismatches) / sampled.agrees : 1,
  };
  let lo = Math.min(...scatter.points.map((p) => Math.min(p.left, p.right)));
  let hi = Math.max(...scatter.points.map((p) => Math.max(p.left, p.right)));
  if (!(hi > lo)) {
    lo -= 1;
    hi += 1;
  }
  // Points closer than about two pixels are merged (at their row-weighted mean): the chart looks
  // the same and a dense cloud of 2,000 values costs a few hundred circles in the SVG.
  const cell = (hi - lo) / (SCATTER_SIZE / 2);
  const merged = new Map<string, { left: number; right: number; rows: number; kind: 'differs' | 'agrees' }>();
  for (const p of scatter.points) {
    const kind = p.mismatch ? 'differs' : 'agrees';
    const rows = p.rows * scaleUp[kind];
    const id = `${kind} ${Math.floor((p.left - lo) / cell)} ${Math.floor((p.right - lo) / cell)}`;
    const m = merged.get(id);
    if (!m) merged.set(id, { left: p.left, right: p.right, rows, kind });
    else {
      m.left = (m.left * m.rows + p.left * rows) / (m.rows + rows);
      m.right = (m.right * m.rows + p.right * rows) / (m.rows + rows);
      m.rows += rows;
    }
  }
  // Agreeing points first so that the differing ones are drawn on top.
  const points = [...merged.values()].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'agrees' ? -1 : 1));
  // A margin around the values, so that dots on the edge are not cut by the axes.
  const margin = (hi - lo) * 0.06;
  const scale = { domain: [lo - margin, hi + margin], nice: false, zero: false };
  return {
    width: SCATTER_SIZE,
    height: SCATTER_SIZE - 40,
    layer: [
      {
        data: { values: [{ v: lo - margin }, { v: hi + margin }] },
        mark: { type: 'line', color: '#7d8790', strokeDash: [4, 3], strokeWidth: 1 },
        encoding: {
          x: { field: 'v', type: 'quantitative', scale },
          y: { field: 'v', type: 'quantitative', scale },
        },
      },
      {
        data: { values: points },
        mark: { type: 'circle', opacity: 0.7 },
        encoding: {
          x: {
            field: 'left',
            type: 'quantitative',
            title: left.label,
            scale,
            axis: { tickCount: 5, format: '~s' },
          },
          y: {
            field: 'right',
            type: 'quantitative',
            title: right.label,
            scale,
            axis: { tickCount: 5, format: '~s' },
          },
          color: {
            field: 'kind',
            type: 'nominal',
            scale: { domain: ['differs', 'agrees'], range: [COLORS.differs, COLORS.agrees] },
            legend: null,
          },
          size: {
            field: 'rows',
            type: 'quantitative',
            scale: { type: 'sqrt', range: [14, 420], zero: true },
            legend: null,
          },
        },
      },
    ],
  } as TopLevelSpec;
}

export function topKeysSpec(result: DiffResult): TopLevelSpec | null {
  const { left, right } = result.sides;
  const keys = result.top_keys;
  if (keys.length === 0) return null;
  const kinds = [
    { key: 'mismatched_windows' as const, label: 'values differ', color: COLORS.differs },
    { key: 'only_left' as const, label: `only in ${left.label}`, color: COLORS.onlyLeft },
    { key: 'only_right' as const, label: `only in ${right.label}`, color: COLORS.onlyRight },
  ].filter((k) => keys.some((row) => row[k.key] > 0));
  const order = keys.map((k, i) => `${String(i + 1).padStart(2, '0')} ${keyText(k.key)}`);
  const values = keys.flatMap((k, i) =>
    kinds
      .filter((kind) => k[kind.key] > 0)
      .map((kind) => ({ key: order[i], kind: kind.label, windows: k[kind.key] })),
  );
  return {
    width: 420,
    height: { step: 20 },
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: {
        field: 'key',
        type: 'nominal',
        title: null,
        sort: order,
        axis: { labelLimit: 260, labelExpr: 'slice(datum.label, 3)' },
      },
      x: {
        field: 'windows',
        type: 'quantitative',
        title: 'differing (key, window) rows',
        axis: { tickMinStep: 1 },
      },
      color: {
        field: 'kind',
        type: 'nominal',
        title: null,
        scale: { domain: kinds.map((k) => k.label), range: kinds.map((k) => k.color) },
        legend: kinds.length > 1 ? {} : null,
      },
    },
  } as TopLevelSpec;
}
