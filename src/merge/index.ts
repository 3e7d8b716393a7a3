// `skewcheck merge`: the shard results of one sharded run (`--shard i/N`) combined into the
// result an unsharded run gives: counts summed, maxima taken, top keys and sample rows
// re-ranked (every key lives in one shard, so each shard's first rows hold the merged first
// rows), diagnoses and plots combined, the verdict recomputed. See docs/sharding.md.
import {
  type DiffResult,
  type DiffSummary,
  type DuplicateSide,
  diffReasons,
  type FeatureDiff,
  type JsonValue,
  NOTHING_COMPARED_NOTE,
  type ReplayStats,
} from '../diff/index.js';
import { InputError } from '../errors.js';
import { lateEventsNote, nullTimeNote, replayNoteKind } from '../replay/notes.js';
import { mergeDiagnoses } from './diagnoses.js';
import { rowOrder } from './order.js';
import { mergePlots } from './plots.js';
import { type CheckedShard, checkShards, type ShardResult } from './shards.js';

export type { ShardResult } from './shards.js';

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function maxOrNull(values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length > 0 ? Math.max(...present) : null;
}

function mergeSummary(results: DiffResult[]): DiffSummary {
  const total = (field: keyof DiffSummary) => sum(results.map((r) => r.summary[field]));
  const windows = total('windows');
  const bad = total('mismatched') + total('only_left') + total('only_right');
  return {
    left_rows: total('left_rows'),
    right_rows: total('right_rows'),
    windows,
    matched: total('matched'),
    mismatched: total('mismatched'),
    only_left: total('only_left'),
    only_right: total('only_right'),
    duplicates: total('duplicates'),
    mismatch_rate: windows > 0 ? bad / windows : 0,
  };
}

function mergeFeatures(shards: CheckedShard[]): FeatureDiff[] {
  // Every shard with rows lists the same features in the same order (checked in shards.ts); an
  // empty shard lists none.
  const results = shards.filter((s) => !s.shard.empty).map((s) => s.result);
  return (results[0]?.features ?? []).map((feature, i) => {
    const all = results.map((r) => r.features[i]!);
    const compared = sum(all.map((f) => f.compared));
    const mismatches = sum(all.map((f) => f.mismatches));
    return {
      ...feature,
      compared,
      mismatches,
      mismatch_rate: compared > 0 ? mismatches / compared : 0,
      max_abs_diff: maxOrNull(all.map((f) => f.max_abs_diff)),
      max_rel_diff: maxOrNull(all.map((f) => f.max_rel_diff)),
      null_mismatches: sum(all.map((f) => f.null_mismatches)),
    };
  });
}

function mergeDuplicates(
  results: DiffResult[],
  side: 'left' | 'right',
  order: (a: Record<string, JsonValue>, b: Record<string, JsonValue>) => number,
  limit: number,
): DuplicateSide {
  const all = results.map((r) => r.duplicates[side]);
  return {
    groups: sum(all.map((d) => d.groups)),
    rows: sum(all.map((d) => d.rows)),
    examples: all
      .flatMap((d) => d.examples)
      .sort((a, b) => order({ ...a.key, ...a.window }, { ...b.key, ...b.window }))
      .slice(0, limit),
  };
}

function mergeReplay(results: DiffResult[]): ReplayStats | undefined {
  const stats = results.map((r) => r.replay).filter((s): s is ReplayStats => s !== undefined);
  if (stats.length === 0) return undefined;
  const total = (pick: (s: ReplayStats) => number) => sum(stats.map(pick));
  return {
    ...stats[0]!,
    events: total((s) => s.events),
    events_without_time: total((s) => s.events_without_time),
    batch_rows: total((s) => s.batch_rows),
    stream_rows: total((s) => s.stream_rows),
    windows_opened: total((s) => s.windows_opened),
    // The peak of one process: shards run apart, so the largest shard's peak is what a machine held.
    max_open_windows: Math.max(...stats.map((s) => s.max_open_windows)),
    late: {
      events: total((s) => s.late.events),
      windows: total((s) => s.late.windows),
      examples: stats.flatMap((s) => s.late.examples),
    },
  };
}

/** The shards' notes, each once, with the counting notes said again for the summed counts. */
function mergeNotes(results: DiffResult[], summary: DiffSummary, replay: ReplayStats | undefined): string[] {
  const notes: string[] = [];
  let timeColumn: string | undefined;
  for (const note of results.flatMap((r) => r.notes)) {
    const kind = replayNoteKind(note);
    if (kind?.kind === 'null_time') timeColumn = kind.timeColumn;
    if (kind || note === NOTHING_COMPARED_NOTE || notes.includes(note)) continue;
    notes.push(note);
  }
  if (summary.windows === 0) notes.push(NOTHING_COMPARED_NOTE);
  if (replay && replay.events_without_time > 0 && timeColumn !== undefined) {
    notes.push(nullTimeNote(replay.events_without_time, timeColumn));
  }
  if (replay && replay.late.events > 0) notes.push(lateEventsNote(replay.late.events, replay.late.windows));
  return notes;
}

/** Combine the shard results of one sharded run into one result. */
export function mergeResults(inputs: readonly ShardResult[]): DiffResult {
  const shards: CheckedShard[] = checkShards(inputs);
  const results = shards.map((s) => s.result);
  const first = results[0]!;
  const info = shards[0]!.shard;
  const numeric = new Set(info.numeric_columns);
  const order = rowOrder([...first.keys, ...first.time_columns], numeric);
  const keyOrder = rowOrder(first.keys, numeric);
  const summary = mergeSummary(results);
  if (summary.windows === 0 && summary.duplicates === 0) {
    // As an unsharded run of the same inputs would: nothing compared is not agreement.
    throw new InputError(
      `nothing to compare: the ${info.count} shards of this run together have no rows on either side (${shards.map((s) => s.file).join(', ')})`,
      { file: shards[0]!.file },
    );
  }
  const features = mergeFeatures(shards);
  const replay = mergeReplay(results);
  const labels = { left: first.sides.left.label, right: first.sides.right.label };
  const reasons = diffReasons(summary, features, first.max_mismatch_rate, labels);
  const badness = (k: DiffResult['top_keys'][number]) => k.mismatched_windows + k.only_left + k.only_right;
  const diagnoses = mergeDiagnoses(results, summary);
  const plots = mergePlots(shards, features);
  const merged: DiffResult = {
    schema_version: 1,
    command: first.command,
    verdict: reasons.length > 0 ? 'fail' : 'pass',
    reasons,
    sides: {
      left: { ...first.sides.left, rows: summary.left_rows },
      right: { ...first.sides.right, rows: summary.right_rows },
    },
    keys: first.keys,
    time_columns: first.time_columns,
    tolerance: first.tolerance,
    max_mismatch_rate: first.max_mismatch_rate,
    summary,
    features,
    top_keys: results
      .flatMap((r) => r.top_keys)
      .sort((a, b) => badness(b) - badness(a) || keyOrder(a.key, b.key))
      .slice(0, info.top_keys),
    samples: results
      .flatMap((r) => r.samples)
      .sort((a, b) => order({ ...a.key, ...a.window }, { ...b.key, ...b.window }))
      .slice(0, info.sample_size),
    duplicates: {
      left: mergeDuplicates(results, 'left', order, info.sample_size),
      right: mergeDuplicates(results, 'right', order, info.sample_size),
    },
    notes: mergeNotes(results, summary, replay),
    ...(diagnoses ? { diagnoses } : {}),
    ...(plots ? { plots } : {}),
    ...(replay ? { replay } : {}),
    merged_from: {
      shards: info.count,
      results: shards.map((s) => s.file),
      empty_shards: shards.filter((s) => s.shard.empty).map((s) => s.shard.index),
      mismatches_files: results.flatMap((r) => (r.mismatches_file ? [r.mismatches_file] : [])),
    },
  };
  return merged;
}
