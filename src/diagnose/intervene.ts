// Turns hypotheses into `reproduced` findings: each is an intervention on the events (see
// recompute.ts); the one that reproduces most differing rows (the smallest change on a tie) is
// the finding, and the others that also reproduced rows are named in its evidence.
import type { CheckContext, Evidence, Finding } from './check.js';
import { int, plural } from './describe.js';
import type { Intervention } from './recompute.js';

export interface Hypothesis {
  intervention: Intervention;
  /** What the hypothesis says, e.g. `the stream reads a NULL amount as 0`. */
  says: string;
  evidence: Evidence;
  /** Events (or values) the intervention changes: the smaller change wins a tie. */
  change: number;
}

export async function reproduceBest(
  context: CheckContext,
  hypotheses: readonly Hypothesis[],
): Promise<Finding | undefined> {
  const recompute = context.recompute;
  if (!recompute || hypotheses.length === 0) return undefined;
  const hits: { hypothesis: Hypothesis; table: string; rows: number; broken: number }[] = [];
  for (const hypothesis of hypotheses) {
    const reproduction = await recompute.reproduce(hypothesis.intervention);
    if (reproduction) hits.push({ hypothesis, ...reproduction });
  }
  if (hits.length === 0) return undefined;
  hits.sort((a, b) => b.rows - a.rows || a.hypothesis.change - b.hypothesis.change);
  let best = hits[0]!;
  // Screened on a sample of keys: confirm the best on all involved keys (up to a budget); a
  // hypothesis the wider run rejects is dropped, not kept on the sample's word.
  if (recompute.sampledRows < recompute.totalRows) {
    const confirmed = await recompute.reproduce(best.hypothesis.intervention, true);
    if (!confirmed) return undefined;
    best = { ...best, ...confirmed };
  }
  const { left, right } = context.labels;
  const sampled =
    recompute.confirmedRows < recompute.totalRows
      ? ` (recomputed for the keys of ${int(recompute.confirmedRows)} of the ${int(recompute.totalRows)} differing rows, sampled)`
      : '';
  const others = hits.slice(1).map((h) => h.hypothesis.intervention.name);
  return {
    tier: 'reproduced',
    rows: best.table,
    change: best.hypothesis.change,
    message: `${best.hypothesis.says}: re-running the ${left} SQL with that change reproduces the ${right}'s rows for ${plural(best.rows, 'differing row')}${sampled}`,
    evidence: {
      ...best.hypothesis.evidence,
      intervention: best.hypothesis.intervention.name,
      rows_reproduced: best.rows,
      rows_recomputed:
        recompute.sampledRows < recompute.totalRows ? recompute.confirmedRows : recompute.sampledRows,
      agreeing_rows_broken: best.broken,
      ...(others.length ? { also_reproducing: others } : {}),
    },
  };
}
