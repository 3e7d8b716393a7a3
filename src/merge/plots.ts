// The report's plot data for a sharded run, combined. Timeline: the bucket width is picked again
// from the whole run's time range (each shard records its own) and the shards' buckets, whose
// widths nest in it, are added up. Scatter: each shard lists every numeric feature with its row
// counts and a bounded sample of its (left, right) pairs; the merge keeps the features that
// differ in the run (as an unsharded run picks them) and pools their samples, so it draws more
// points than one run would (at most shards × the per-run limit): the same rows, not the same sample.
import {
  type DiffPlots,
  type DiffTimeline,
  type FeatureDiff,
  type FeatureScatter,
  MAX_SCATTER_FEATURES,
  pickBucket,
  type ScatterPoint,
  TIMELINE_FEATURES,
} from '../diff/index.js';
import type { CheckedShard } from './shards.js';

// DuckDB's time_bucket origins: 2000-01-03 (a Monday) for widths in days and below, 2000-01-01
// for widths in months and years.
const DAY_ORIGIN_MS = Date.UTC(2000, 0, 3);
const MONTH_ORIGIN = { year: 2000, month: 0 };

function monthsOf(label: string): number | null {
  const match = /^(\d+) (month|year)s?$/.exec(label);
  if (!match) return null;
  return Number(match[1]) * (match[2] === 'year' ? 12 : 1);
}

/** The start of the bucket of width `label` that holds `iso`, as ISO text. */
export function bucketStart(iso: string, label: string, seconds: number): string {
  const t = Date.parse(iso);
  const months = monthsOf(label);
  if (months === null) {
    const width = seconds * 1000;
    return new Date(DAY_ORIGIN_MS + Math.floor((t - DAY_ORIGIN_MS) / width) * width).toISOString();
  }
  const date = new Date(t);
  const since = (date.getUTCFullYear() - MONTH_ORIGIN.year) * 12 + date.getUTCMonth() - MONTH_ORIGIN.month;
  const start = Math.floor(since / months) * months;
  return new Date(Date.UTC(MONTH_ORIGIN.year, MONTH_ORIGIN.month + start, 1)).toISOString();
}

function topFeatures(features: FeatureDiff[]): string[] {
  return features
    .filter((f) => f.mismatches > 0)
    .sort((a, b) => b.mismatches - a.mismatches || (a.name < b.name ? -1 : 1))
    .slice(0, TIMELINE_FEATURES)
    .map((f) => f.name);
}

function mergeTimeline(shards: CheckedShard[], features: FeatureDiff[]): DiffTimeline | null {
  const timelines = shards.flatMap((s) => (s.result.plots?.timeline ? [s.result.plots.timeline] : []));
  const ranges = shards.flatMap((s) => (s.shard.time_range ? [s.shard.time_range] : []));
  if (timelines.length === 0) return null;
  const first = timelines[0]!;
  const min = Math.min(...ranges.map((r) => Date.parse(r.min)));
  const max = Math.max(...ranges.map((r) => Date.parse(r.max)));
  const [bucket, bucketSeconds] = pickBucket(ranges.length > 0 ? (max - min) / 1000 : 0);
  const names = topFeatures(features);
  const buckets = new Map<string, DiffTimeline['buckets'][number]>();
  for (const timeline of timelines) {
    const at = names.map((name) => timeline.features.indexOf(name));
    for (const b of timeline.buckets) {
      const start = bucketStart(b.start, bucket, bucketSeconds);
      const into = buckets.get(start) ?? {
        start,
        windows: 0,
        mismatched: 0,
        only_left: 0,
        only_right: 0,
        feature_mismatches: names.map(() => 0),
      };
      into.windows += b.windows;
      into.mismatched += b.mismatched;
      into.only_left += b.only_left;
      into.only_right += b.only_right;
      at.forEach((i, j) => {
        if (i >= 0) into.feature_mismatches[j]! += b.feature_mismatches[i]!;
      });
      buckets.set(start, into);
    }
  }
  return {
    column: first.column,
    bucket,
    bucket_seconds: bucketSeconds,
    features: names,
    buckets: [...buckets.values()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0)),
    rows_without_time: timelines.reduce((n, t) => n + t.rows_without_time, 0),
  };
}

function mergeScatter(shards: CheckedShard[]): FeatureScatter[] {
  const byFeature = new Map<string, FeatureScatter[]>();
  for (const shard of shards) {
    for (const scatter of shard.result.plots?.scatter ?? []) {
      byFeature.set(scatter.feature, [...(byFeature.get(scatter.feature) ?? []), scatter]);
    }
  }
  return (
    [...byFeature.entries()]
      .map(([feature, parts]) => {
        const points = new Map<string, ScatterPoint>();
        for (const p of parts.flatMap((s) => s.points)) {
          const id = `${p.mismatch}|${p.left}|${p.right}`;
          const seen = points.get(id);
          if (seen) seen.rows += p.rows;
          else points.set(id, { ...p });
        }
        return {
          feature,
          rows: parts.reduce((n, s) => n + s.rows, 0),
          mismatches: parts.reduce((n, s) => n + s.mismatches, 0),
          sampled_rows: parts.reduce((n, s) => n + s.sampled_rows, 0),
          points: [...points.values()].sort(
            (a, b) => Number(b.mismatch) - Number(a.mismatch) || a.left - b.left || a.right - b.right,
          ),
        };
      })
      // Each shard lists every numeric feature; the run shows those that differ, as an unsharded run does.
      .filter((s) => s.mismatches > 0)
      .sort((a, b) => b.mismatches - a.mismatches || (a.feature < b.feature ? -1 : 1))
      .slice(0, MAX_SCATTER_FEATURES)
  );
}

export function mergePlots(shards: CheckedShard[], features: FeatureDiff[]): DiffPlots | undefined {
  if (shards.every((s) => s.result.plots === undefined)) return undefined;
  return { timeline: mergeTimeline(shards, features), scatter: mergeScatter(shards) };
}
