// Many differing rows (replay): the checks judge the differing rows of a sample of keys, and only
// the hypothesis that wins there is carried to the other rows — not by recomputing them all (that
// is re-running the batch over the whole log) but by its pattern: a differing row outside the
// sample whose window holds an event the winning change touches is attributed to it, counted in
// `rows` and not in `reproduced_rows`, and the message says so. A change with no such pattern (a
// time shift or zone moves every event, moved labels move every window) is carried by recomputing
// the other keys under it (up to the confirmation budget of events): those rows are reproduced.
import { quoteIdent } from '../io/index.js';
import type { RecordedFinding } from './attribute.js';
import type { CheckContext, Finding } from './check.js';
import { plural } from './describe.js';
import { col, keysMatch } from './sql.js';

/** Above this many differing rows (and when the recomputation is sampled), checks judge the sample only. */
export const SAMPLE_ABOVE_ROWS = 20_000;

/** The reproduced finding with an intervention that reproduces most rows of the sample. */
function winner(findings: readonly RecordedFinding[]): RecordedFinding | undefined {
  return findings
    .filter((f) => f.finding.tier === 'reproduced' && f.finding.intervention)
    .sort(
      (a, b) =>
        Number(b.finding.evidence.rows_reproduced ?? 0) - Number(a.finding.evidence.rows_reproduced ?? 0) ||
        (a.finding.change ?? 0) - (b.finding.change ?? 0),
    )[0];
}

/**
 * The rows outside the sample (of `all`, the table of every differing row) with an event the
 * winning intervention touches in their window: one finding of the winner's cause.
 */
export async function extrapolate(
  context: CheckContext,
  findings: readonly RecordedFinding[],
  all: string,
): Promise<RecordedFinding | undefined> {
  const top = winner(findings);
  const log = context.log;
  const recompute = context.recompute;
  if (!top || !log || !recompute || !context.windowBounds) return undefined;
  const intervention = top.finding.intervention!;
  if (intervention.global) return recomputeOthers(context, top);
  const { session, joined } = context;
  const columns = log.columns.map((c) => quoteIdent(c.name)).join(', ');
  const events = `${quoteIdent(log.relation)}`;
  // The events the change touches: by its predicate, else those it removes or rewrites (EXCEPT
  // ALL keeps copies apart).
  const touched = intervention.touches
    ? `SELECT ${columns} FROM ${events} WHERE ${intervention.touches}`
    : `SELECT ${columns} FROM ${events} EXCEPT ALL SELECT ${columns} FROM (${intervention.events(events)})`;
  const t = `CAST(${col('e', log.timeColumn)} AS TIMESTAMP)`;
  const rows = context.temp('pattern_rows');
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${rows} AS
     WITH touched AS (${touched})
     SELECT DISTINCT r.__row FROM ${all} AS r JOIN touched AS e
       ON ${keysMatch(joined.keyColumns, { alias: 'r', types: context.joinedTypes }, { alias: 'e', types: log.types })}
     WHERE r.__row NOT IN (SELECT __row FROM ${recompute.sampled})
       AND ${t} >= r.__ws AND ${t} < r.__we`,
  );
  const count = Number(await session.scalar(`SELECT count(*) FROM ${rows}`));
  if (count === 0) return undefined;
  const finding: Finding = {
    tier: 'reproduced',
    rows,
    pattern: true,
    change: top.finding.change,
    message: `the other ${plural(count, 'differing row')}, outside the recomputed sample, have the same pattern (their window holds an event the change touches)`,
    evidence: { rows_with_pattern: count, pattern_of: intervention.name },
  };
  return { code: top.code, fixHint: top.fixHint, finding };
}

/** The winner's change recomputed over every involved key (up to the confirmation budget). */
async function recomputeOthers(
  context: CheckContext,
  top: RecordedFinding,
): Promise<RecordedFinding | undefined> {
  const recompute = context.recompute!;
  const intervention = top.finding.intervention!;
  const reproduction = await recompute.reproduce(intervention, true);
  if (!reproduction?.accepted) return undefined;
  const rows = context.temp('recomputed_rows');
  await context.session.run(
    `CREATE OR REPLACE TEMP TABLE ${rows} AS SELECT __row FROM ${reproduction.table}
     WHERE __row NOT IN (SELECT __row FROM ${recompute.sampled})`,
  );
  const count = Number(await context.session.scalar(`SELECT count(*) FROM ${rows}`));
  if (count === 0) return undefined;
  const finding: Finding = {
    tier: 'reproduced',
    rows,
    change: top.finding.change,
    intervention,
    message: `recomputing the keys outside the screened sample under the same change reproduces ${plural(count, 'more differing row')} (of the ${plural(recompute.confirmedRows, 'differing row')} of the keys recomputed)`,
    evidence: {
      rows_reproduced: count,
      recomputed_for: intervention.name,
      rows_recomputed: recompute.confirmedRows,
      agreeing_rows_broken: reproduction.broken,
    },
  };
  return { code: top.code, fixHint: top.fixHint, finding };
}
