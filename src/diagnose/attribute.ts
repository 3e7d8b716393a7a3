// Attribution by reproduction, not precedence: every check judges every differing row on its
// own; a row then goes to a finding that reproduced it — the one that reproduces most of the rows
// still open, then the smallest change (the others are mentioned) — else to a finding it is
// consistent with, else to `unexplained`.
import type { Diagnosis } from '../diff/types.js';
import { quoteLiteral } from '../io/index.js';
import type { CheckContext, Finding } from './check.js';
import type { CauseCode } from './registry.js';

export interface RecordedFinding {
  code: CauseCode;
  fixHint: string;
  finding: Finding;
}

const TIER_RANK = { reproduced: 0, consistent: 1 } as const;

/**
 * The reproduced findings take their rows greedily: first the one that reproduces most rows (the
 * smallest change on a tie), then among the rows left the one that reproduces most of them, and
 * so on. One change that accounts for every row is preferred to a smaller one that also happens
 * to fit a few of them; a second cause is looked for among the rows the first leaves.
 */
async function coverReproduced(
  context: CheckContext,
  findings: readonly RecordedFinding[],
  covered: string,
  attributed: string,
): Promise<void> {
  const { session } = context;
  const open = new Set(findings.flatMap((f, i) => (f.finding.tier === 'reproduced' ? [i] : [])));
  while (open.size > 0) {
    const counts = await session.rows(
      `SELECT finding, count(DISTINCT __row) AS n FROM ${covered}
       WHERE finding IN (${[...open].join(', ')}) AND __row IN (SELECT __row FROM ${context.rows})
         AND __row NOT IN (SELECT __row FROM ${attributed})
       GROUP BY finding`,
    );
    const change = (i: number) => findings[i]!.finding.change ?? Number.POSITIVE_INFINITY;
    const best = counts
      .map((r) => ({ i: Number(r.finding), n: Number(r.n) }))
      .filter((r) => r.n > 0)
      .sort((a, b) => b.n - a.n || change(a.i) - change(b.i) || a.i - b.i)[0];
    if (!best) return;
    await session.run(
      `INSERT INTO ${attributed}
       SELECT DISTINCT __row, ${best.i} FROM ${covered}
       WHERE finding = ${best.i} AND __row IN (SELECT __row FROM ${context.rows})
         AND __row NOT IN (SELECT __row FROM ${attributed})`,
    );
    open.delete(best.i);
  }
}

/** The diagnoses of the findings (largest share first within a tier, reproduced first), without `unexplained`. */
export async function attribute(
  context: CheckContext,
  findings: readonly RecordedFinding[],
  total: number,
): Promise<{ diagnoses: Diagnosis[]; attributed: number }> {
  const { session } = context;
  if (findings.length === 0) {
    await session.run(
      `CREATE OR REPLACE TEMP TABLE ${context.temp('attributed')} (__row BIGINT, finding INTEGER)`,
    );
    return { diagnoses: [], attributed: 0 };
  }
  const covered = context.temp('covered');
  const meta = context.temp('findings');
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${meta} AS SELECT * FROM (VALUES ${findings
      .map(
        (f, i) =>
          `(${i}, ${quoteLiteral(f.code)}, ${TIER_RANK[f.finding.tier]}, ${Number.isFinite(f.finding.change) ? f.finding.change : 'NULL'}, ${f.finding.pattern === true})`,
      )
      .join(', ')}) t(finding, code, tier, change, pattern)`,
  );
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${covered} AS ${findings
      .map((f, i) => `SELECT DISTINCT __row, ${i} AS finding FROM ${f.finding.rows}`)
      .join(' UNION ALL ')}`,
  );
  const attributed = context.temp('attributed');
  await session.run(`CREATE OR REPLACE TEMP TABLE ${attributed} (__row BIGINT, finding INTEGER)`);
  await coverReproduced(context, findings, covered, attributed);
  await session.run(
    `INSERT INTO ${attributed}
     SELECT __row, finding FROM (
       SELECT c.__row, c.finding, row_number() OVER (
         PARTITION BY c.__row ORDER BY m.tier, m.change ASC NULLS LAST, c.finding) AS __rank
       FROM ${covered} AS c JOIN ${meta} AS m USING (finding)
       WHERE c.__row IN (SELECT __row FROM ${context.rows}) AND c.__row NOT IN (SELECT __row FROM ${attributed})
     ) WHERE __rank = 1`,
  );
  const counts = await session.rows(
    `SELECT m.finding, m.tier,
       (SELECT count(*) FROM ${attributed} AS a WHERE a.finding = m.finding) AS rows
     FROM ${meta} AS m ORDER BY m.finding`,
  );
  // For the rows a reproduced finding got, the other causes that reproduced them as well.
  const others = await session.rows(
    `SELECT a.finding, m.code, count(*) AS rows
     FROM ${attributed} AS a JOIN ${covered} AS c ON c.__row = a.__row AND c.finding <> a.finding
       JOIN ${meta} AS m ON m.finding = c.finding
     WHERE m.tier = 0
     GROUP BY ALL ORDER BY a.finding, m.code`,
  );
  const reproducedByCode = new Map(
    (
      await session.rows(
        `SELECT m.code, count(DISTINCT c.__row) AS rows FROM ${covered} AS c JOIN ${meta} AS m USING (finding)
         WHERE m.tier = 0 AND NOT m.pattern GROUP BY m.code`,
      )
    ).map((r) => [String(r.code), Number(r.rows)]),
  );
  const diagnoses: Diagnosis[] = [];
  let attributedRows = 0;
  for (const row of counts) {
    const i = Number(row.finding);
    const rows = Number(row.rows);
    if (rows === 0) continue;
    attributedRows += rows;
    const { code, fixHint, finding } = findings[i]!;
    const also: Record<string, number> = {};
    for (const other of others)
      if (Number(other.finding) === i) also[String(other.code)] = Number(other.rows);
    const evidence = Object.keys(also).length
      ? { ...finding.evidence, also_reproduced_by: also }
      : finding.evidence;
    // One entry per cause and tier: a second finding of the same kind joins the first.
    const same = diagnoses.find((d) => d.code === code && d.tier === finding.tier);
    if (same) {
      same.rows += rows;
      same.share = same.rows / total;
      same.message = `${same.message}; ${finding.message}`;
      same.evidence = { ...evidence, ...same.evidence };
      continue;
    }
    diagnoses.push({
      code,
      tier: finding.tier,
      rows,
      reproduced_rows: finding.tier === 'reproduced' ? (reproducedByCode.get(code) ?? 0) : 0,
      share: rows / total,
      message: finding.message,
      evidence,
      fix_hint: finding.fixHint ?? fixHint,
    });
  }
  diagnoses.sort(
    (a, b) =>
      TIER_RANK[a.tier as keyof typeof TIER_RANK] - TIER_RANK[b.tier as keyof typeof TIER_RANK] ||
      b.rows - a.rows ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
  return { diagnoses, attributed: attributedRows };
}
