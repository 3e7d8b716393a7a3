// Two causes at once: when the reproduced causes leave differing rows of the sample unexplained,
// the intervention that reproduces most rows is combined with each other hypothesis the checks
// tried (of another cause), and the combination that reproduces most of the rows left names the
// second cause — for the rows it adds, with the first applied as well. Rows a reproduction
// matches only up to floating-point rounding name float accumulation on top of it.
import type { RecordedFinding } from './attribute.js';
import type { CheckContext, Finding } from './check.js';
import { plural } from './describe.js';
import { findingOf, type Hypothesis, kept, type Tried } from './intervene.js';
import type { Intervention } from './recompute.js';
import { type CauseCode, CHECKS } from './registry.js';

/** Compositions are tried when at least this share of the sampled differing rows is left (and 2 rows). */
const MIN_LEFT = 0.005;
const MAX_COMPOSITIONS = 16;
/** A first that does not reproduce alone may break at most this share of the rows it changes. */
const MAX_BROKEN = 0.02;
/** The second cause must reproduce at least this share of the rows the first leaves. */
const MIN_ADDED = 0.1;

function composed(a: Intervention, b: Intervention): Intervention {
  const key = a.key || b.key ? (c: string) => (b.key ? b.key(a.key ? a.key(c) : c) : a.key!(c)) : undefined;
  const window = a.window ?? b.window;
  return {
    name: `${a.name} + ${b.name}`,
    events: (log) => b.events(`(${a.events(log)})`),
    ...(key ? { key } : {}),
    ...(window ? { window } : {}),
  };
}

/** Rows of the sample no reproduced finding covers, strictly or up to rounding. */
async function rowsLeft(context: CheckContext, findings: readonly RecordedFinding[]): Promise<number> {
  const tables = findings.flatMap((f) =>
    f.finding.tier === 'reproduced'
      ? [f.finding.rows, ...(f.finding.residue ? [f.finding.residue.rows] : [])]
      : [],
  );
  const covered = tables.length
    ? tables.map((t) => `SELECT __row FROM ${t}`).join(' UNION ')
    : 'SELECT NULL::BIGINT AS __row WHERE false';
  return Number(
    await context.session.scalar(
      `SELECT count(*) FROM ${context.recompute!.sampled} WHERE __row NOT IN (SELECT __row FROM (${covered}) WHERE __row IS NOT NULL)`,
    ),
  );
}

/** A second cause for the rows the best single intervention leaves, or nothing. */
export async function composeSecond(
  context: CheckContext,
  findings: readonly RecordedFinding[],
): Promise<RecordedFinding[]> {
  const recompute = context.recompute;
  const tried = context.tried ?? [];
  if (!recompute) return [];
  // The first: the hypothesis that reproduces most rows; when none reproduces on its own (both
  // bugs touch every row), the one that fixes most rows while breaking (almost) none.
  const clean = (t: Tried) =>
    t.reproduction !== undefined &&
    kept(t.reproduction) > 0 &&
    t.reproduction.broken <= MAX_BROKEN * t.reproduction.changed;
  const accepted = tried.filter((t) => t.reproduction?.accepted && t.code);
  const pool = accepted.length ? accepted : tried.filter((t) => t.code && clean(t));
  if (pool.length === 0) return [];
  pool.sort(
    (a, b) => kept(b.reproduction!) - kept(a.reproduction!) || a.hypothesis.change - b.hypothesis.change,
  );
  const first = pool[0]!;
  const left = await rowsLeft(context, findings);
  if (left < Math.max(2, MIN_LEFT * recompute.sampledRows)) return [];
  const firstRows = first.reproduction!;
  const seen = new Set<string>();
  let best: { second: Tried; finding: Finding; rows: number } | undefined;
  // The likeliest seconds first: those that broke fewest agreeing rows on their own (a change
  // that breaks rows alone breaks them combined too), then those that changed most differing rows.
  const candidates = [...tried].sort(
    (a, b) =>
      (a.reproduction?.broken ?? Number.POSITIVE_INFINITY) -
        (b.reproduction?.broken ?? Number.POSITIVE_INFINITY) ||
      (b.reproduction?.changed ?? 0) - (a.reproduction?.changed ?? 0),
  );
  for (const second of candidates) {
    if (!second.code || second.code === first.code || seen.has(second.hypothesis.intervention.name)) continue;
    seen.add(second.hypothesis.intervention.name);
    if (seen.size > MAX_COMPOSITIONS) break;
    const both = composed(first.hypothesis.intervention, second.hypothesis.intervention);
    const reproduction = await recompute.reproduce(both);
    if (!reproduction?.accepted) continue;
    // The second cause's rows: what the pair reproduces beyond the first alone.
    const own = context.temp(`compose_${seen.size}`);
    const ownResidue = context.temp(`compose_${seen.size}_residue`);
    const firstCovered = `SELECT __row FROM ${firstRows.table} UNION SELECT __row FROM ${firstRows.residue}`;
    await context.session.run(
      `CREATE OR REPLACE TEMP TABLE ${own} AS SELECT __row FROM ${reproduction.table} WHERE __row NOT IN (${firstCovered})`,
    );
    await context.session.run(
      `CREATE OR REPLACE TEMP TABLE ${ownResidue} AS SELECT __row FROM ${reproduction.residue} WHERE __row NOT IN (${firstCovered})`,
    );
    const rows = Number(await context.session.scalar(`SELECT count(*) FROM ${own}`));
    const residueRows = Number(await context.session.scalar(`SELECT count(*) FROM ${ownResidue}`));
    // What the second cause adds must be a real part of what is left, not a row or two by chance.
    if (rows + residueRows < Math.max(2, MIN_ADDED * left) || (best && best.rows >= rows + residueRows))
      continue;
    const hypothesis: Hypothesis = { ...second.hypothesis, intervention: both };
    const finding = findingOf(
      context,
      hypothesis,
      { ...reproduction, table: own, rows, residue: ownResidue, residueRows },
      [],
      `with ${first.hypothesis.intervention.name} applied as well, `,
    );
    best = { second, finding: { ...finding, change: second.hypothesis.change }, rows: rows + residueRows };
  }
  if (!best) return [];
  const code = best.second.code as CauseCode;
  return [{ code, fixHint: CHECKS[code].fixHint, finding: best.finding }];
}

/** Float accumulation for the rows a reproduction matches only up to rounding. */
export function roundingResidue(findings: readonly RecordedFinding[]): RecordedFinding[] {
  return findings.flatMap((f) => {
    const residue = f.finding.residue;
    if (!residue) return [];
    return [
      {
        code: 'float_accumulation' as const,
        fixHint: CHECKS.float_accumulation.fixHint,
        finding: {
          tier: 'consistent' as const,
          rows: residue.rows,
          change: 0,
          message: `with ${residue.change} applied, ${plural(residue.count, 'differing row')} still differ by floating-point rounding only (float32, or another summation order)`,
          evidence: { after: residue.change, rows_explained: residue.count },
        },
      },
    ];
  });
}
