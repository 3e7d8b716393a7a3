// Words of a replay/diff result shared by the Markdown, JUnit and HTML renderers (plain text:
// each renderer escapes it for its format).
import type { DiffResult, FeatureDiff } from '../diff/index.js';
import { int, time } from './format.js';

/** ok, differs, type X ≠ Y, only in batch, … */
export function featureStatus(f: FeatureDiff, result: DiffResult): string {
  const { left, right } = result.sides;
  switch (f.status) {
    case 'compared':
      return f.mismatches > 0 ? 'differs' : 'ok';
    case 'type_mismatch':
      return `type ${f.left_type} ≠ ${f.right_type}`;
    case 'only_left':
      return `only in ${left.label}`;
    case 'only_right':
      return `only in ${right.label}`;
  }
}

export function isFailingFeature(f: FeatureDiff): boolean {
  return f.status !== 'compared' || f.mismatches > 0;
}

export function windowText(window: Record<string, unknown>): string {
  return Object.values(window).map(time).join(' → ');
}

export function lateText(result: DiffResult): string | null {
  const late = result.replay?.late;
  if (!late || late.events === 0) return null;
  return `${int(late.events)} events arrived after the watermark and were dropped by the stream; they would have changed ${int(late.windows)} (key, window) rows.`;
}

/** Which share of the keys a sharded or merged result covers (null: a whole, unsharded run). */
export function shardText(result: DiffResult): string | null {
  const { shard, merged_from: merged } = result;
  if (shard?.empty) {
    return `shard ${shard.index}/${shard.count} has no (key, window) rows on either side: nothing compared here; \`skewcheck merge\` of every shard gives the run's verdict`;
  }
  if (shard) return `shard ${shard.index}/${shard.count}: only the keys of this shard`;
  if (!merged) return null;
  const empty = merged.empty_shards.length;
  return `merged from ${int(merged.shards)} shards${empty > 0 ? ` (${int(empty)} had no rows to compare)` : ''}`;
}
