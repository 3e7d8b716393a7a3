// Turns hypotheses into `reproduced` findings: each is an intervention on the events (see
// recompute.ts); the one that reproduces most differing rows (the smallest change on a tie) is
// the finding, and the others that also reproduced rows are named in its evidence. Every
// hypothesis tried is recorded in the context, for the compositions of two (compose.ts).
import type { CheckContext, Evidence, Finding } from './check.js';
import { int, plural } from './describe.js';
import type { Intervention, Reproduction } from './recompute.js';

export interface Hypothesis {
  intervention: Intervention;
  /** What the hypothesis says, e.g. `the stream reads a NULL amount as 0`. */
  says: string;
  evidence: Evidence;
  /** Events (or values) the intervention changes: the smaller change wins a tie. */
  change: number;
}

/** A hypothesis a check tried on the screening sample, and how its recomputation compared there. */
export interface Tried {
  hypothesis: Hypothesis;
  reproduction?: Reproduction;
  /** The cause the check that tried it names (set by the diagnosis loop). */
  code?: string;
}

/** Reproduced rows, strictly or up to rounding: what a hypothesis accounts for. */
export function kept(reproduction: Reproduction): number {
  return reproduction.rows + reproduction.residueRows;
}

export async function reproduceBest(
  context: CheckContext,
  hypotheses: readonly Hypothesis[],
): Promise<Finding | undefined> {
  const recompute = context.recompute;
  if (!recompute || hypotheses.length === 0) return undefined;
  const hits: { hypothesis: Hypothesis; reproduction: Reproduction }[] = [];
  for (const hypothesis of hypotheses) {
    const reproduction = await recompute.reproduce(hypothesis.intervention);
    context.tried?.push({ hypothesis, reproduction });
    if (reproduction?.accepted) hits.push({ hypothesis, reproduction });
  }
  if (hits.length === 0) return undefined;
  hits.sort(
    (a, b) =>
      kept(b.reproduction) - kept(a.reproduction) ||
      b.reproduction.rows - a.reproduction.rows ||
      a.hypothesis.change - b.hypothesis.change,
  );
  let best = hits[0]!;
  // Screened on a sample of keys: confirm the best on all involved keys (up to a budget); a
  // hypothesis the wider run rejects is dropped, not kept on the sample's word.
  if (recompute.sampledRows < recompute.totalRows && !recompute.byPattern) {
    const confirmed = await recompute.reproduce(best.hypothesis.intervention, true);
    if (!confirmed?.accepted) return undefined;
    best = { ...best, reproduction: confirmed };
  }
  const others = hits.slice(1).map((h) => h.hypothesis.intervention.name);
  return findingOf(context, best.hypothesis, best.reproduction, others);
}

/**
 * The finding of a reproduction. Rows that agree only up to floating-point rounding are the
 * finding's own when it has no others (`reproduced` up to rounding), else its `residue`: a
 * second cause (float accumulation) the caller names for them.
 */
export function findingOf(
  context: CheckContext,
  hypothesis: Hypothesis,
  reproduction: Reproduction,
  others: string[] = [],
  prefix = '',
): Finding {
  const recompute = context.recompute!;
  const { left, right } = context.labels;
  const sampled =
    recompute.confirmedRows < recompute.totalRows
      ? ` (recomputed for the keys of ${int(recompute.confirmedRows)} of the ${int(recompute.totalRows)} differing rows, sampled)`
      : '';
  const roundingOnly = reproduction.rows === 0;
  const rows = roundingOnly ? reproduction.residueRows : reproduction.rows;
  const rounding = roundingOnly ? ' up to floating-point rounding' : '';
  return {
    tier: 'reproduced',
    rows: roundingOnly ? reproduction.residue : reproduction.table,
    ...(roundingOnly || reproduction.residueRows === 0
      ? {}
      : {
          residue: {
            rows: reproduction.residue,
            count: reproduction.residueRows,
            change: hypothesis.intervention.name,
          },
        }),
    change: hypothesis.change,
    intervention: hypothesis.intervention,
    message: `${prefix}${hypothesis.says}: re-running the ${left} SQL with that change reproduces the ${right}'s rows${rounding} for ${plural(rows, 'differing row')}${sampled}`,
    evidence: {
      ...hypothesis.evidence,
      intervention: hypothesis.intervention.name,
      rows_reproduced: rows,
      ...(roundingOnly ? { up_to_rounding: true } : {}),
      rows_recomputed:
        recompute.sampledRows < recompute.totalRows ? recompute.confirmedRows : recompute.sampledRows,
      agreeing_rows_broken: reproduction.broken,
      ...(others.length ? { also_reproducing: others } : {}),
    },
  };
}
