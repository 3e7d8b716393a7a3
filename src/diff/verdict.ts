// The verdict of a diff from its counts: why it fails, one sentence each (none: it passes).
// Shared by the engine and by `skewcheck merge`, which recomputes it from summed shard counts.
import { int, percent } from '../report/format.js';
import type { DiffSummary, FeatureDiff } from './types.js';

/** Said when neither side has a row; the engine adds it to the notes. */
export const NOTHING_COMPARED_NOTE = 'both sides are empty: nothing was compared';

export function diffReasons(
  summary: DiffSummary,
  features: readonly FeatureDiff[],
  maxMismatchRate: number,
  labels: { left: string; right: string },
): string[] {
  const reasons: string[] = [];
  const bad = summary.mismatched + summary.only_left + summary.only_right;
  if (bad > 0 && summary.mismatch_rate > maxMismatchRate) {
    reasons.push(
      `${int(bad)} of ${int(summary.windows)} (key, window) rows differ (${percent(summary.mismatch_rate)} > allowed ${percent(maxMismatchRate)})`,
    );
  }
  if (summary.duplicates > 0) reasons.push(`${int(summary.duplicates)} rows have a duplicated (key, window)`);
  for (const f of features) {
    if (f.status === 'only_left') reasons.push(`feature ${f.name} exists only on the ${labels.left} side`);
    if (f.status === 'only_right') reasons.push(`feature ${f.name} exists only on the ${labels.right} side`);
    if (f.status === 'type_mismatch') {
      reasons.push(
        `feature ${f.name} is ${f.left_type} on the ${labels.left} side and ${f.right_type} on the ${labels.right} side`,
      );
    }
  }
  return reasons;
}
