// Aligning the two sides: (key, window) pairs that occur more than once on a side are set
// aside and reported (never fanned out in the join), then the rest are full-outer-joined on
// key + window into one temporary table with a status per row.
import { quoteIdent, type Session } from '../io/index.js';
import {
  alignExpression,
  alignsAsText,
  BOTH_SIDES,
  countIf,
  featureColumns,
  mismatchExpression,
} from './compare-sql.js';
import { jsonValue } from './json-value.js';
import type { DiffOptions, DiffPlan } from './plan.js';
import type { DuplicateSide } from './types.js';

export const L = '__l';
export const R = '__r';
export const J = '__joined';
/**
 * The type of `J`'s `__status`: an ENUM of one byte a row, not a string of sixteen (what
 * reads it compares it with the names; in name order, so ORDER BY sorts it as text).
 */
const STATUS_TYPE = "ENUM('match', 'mismatch', 'only_left', 'only_right')";
/** Above this many features, the joined table is built in two steps (see alignSides). */
const WIDE_DIFF_FEATURES = 64;

export interface Duplicates {
  left: DuplicateSide;
  right: DuplicateSide;
}

/** Summarise a side's table of duplicated (key, window) pairs (columns: align…, __n). */
async function describeDuplicates(
  session: Session,
  table: string,
  keyColumns: string[],
  timeColumns: string[],
  limit: number,
): Promise<DuplicateSide> {
  const align = [...keyColumns, ...timeColumns];
  const counts = (
    await session.rows(`SELECT count(*) AS groups, COALESCE(sum(__n), 0) AS rows FROM ${table}`)
  )[0]!;
  const rows = Number(counts.rows);
  if (rows === 0) return { groups: 0, rows: 0, examples: [] };
  const examples = await session.rows(
    `SELECT * FROM ${table} ORDER BY ${align.map((c) => `${quoteIdent(c)} ASC NULLS FIRST`).join(', ')} LIMIT ${limit}`,
  );
  return {
    groups: Number(counts.groups),
    rows,
    examples: examples.map((row) => ({
      key: Object.fromEntries(keyColumns.map((c) => [c, jsonValue(row[c])])),
      window: Object.fromEntries(timeColumns.map((c) => [c, jsonValue(row[c])])),
      count: Number(row.__n),
    })),
  };
}

/**
 * Find each side's duplicated (key, window) pairs (a hash aggregate) and return, per side, a
 * relation of its other rows with a `__present` marker for the join.
 */
async function setDuplicatesAside(
  session: Session,
  options: DiffOptions,
  plan: DiffPlan,
  sampleSize: number,
): Promise<{ duplicates: Duplicates; relation: Relations }> {
  const { alignColumns, timeColumns } = plan;
  const align = alignColumns.map(quoteIdent).join(', ');
  const relation = wholeSides(options);
  const duplicates = noDuplicates();
  for (const [alias, side, name] of [
    [L, options.left, 'left'],
    [R, options.right, 'right'],
  ] as const) {
    const dup = `${alias}_dup`;
    await session.run(
      `CREATE OR REPLACE TEMP TABLE ${dup} AS SELECT ${align}, count(*) AS __n FROM ${quoteIdent(side.table)} GROUP BY ALL HAVING count(*) > 1`,
    );
    duplicates[name] = await describeDuplicates(session, dup, options.keyColumns, timeColumns, sampleSize);
    if (duplicates[name].rows > 0) {
      relation[alias] =
        `(SELECT t.*, true AS __present FROM ${quoteIdent(side.table)} AS t WHERE NOT EXISTS (SELECT 1 FROM ${dup} AS d WHERE ${alignColumns.map((c) => `d.${quoteIdent(c)} IS NOT DISTINCT FROM t.${quoteIdent(c)}`).join(' AND ')}))`;
    }
  }
  return { duplicates, relation };
}

type Relations = Record<typeof L | typeof R, string>;

/** Each side's every row, with a `__present` marker for the join. */
function wholeSides(options: DiffOptions): Relations {
  const whole = (side: DiffOptions['left']) =>
    `(SELECT t.*, true AS __present FROM ${quoteIdent(side.table)} AS t)`;
  return { [L]: whole(options.left), [R]: whole(options.right) };
}

function noDuplicates(): Duplicates {
  return { left: { groups: 0, rows: 0, examples: [] }, right: { groups: 0, rows: 0, examples: [] } };
}

/**
 * Build the joined table `J` from the two sides' relations: a full outer join on key + window
 * (NULL keys match NULL keys) with the per-feature comparison columns and `__status`.
 */
async function buildJoined(session: Session, plan: DiffPlan, relation: Relations): Promise<void> {
  const { alignColumns, leftType, rightType, comparable } = plan;
  const on = alignColumns
    .map((c) => {
      const lt = leftType.get(c)!;
      const rt = rightType.get(c)!;
      return `${alignExpression(c, lt, rt, 'l')} IS NOT DISTINCT FROM ${alignExpression(c, lt, rt, 'r')}`;
    })
    .join(' AND ');
  const alignSelect = alignColumns
    .map((c) => {
      const lt = leftType.get(c)!;
      const rt = rightType.get(c)!;
      return `COALESCE(${alignExpression(c, lt, rt, 'l')}, ${alignExpression(c, lt, rt, 'r')}) AS ${quoteIdent(c)}`;
    })
    .join(', ');
  const join = `FROM ${relation[L]} AS l FULL OUTER JOIN ${relation[R]} AS r ON ${on || 'true'}`;
  // The status reads the differs flags of the SELECT below it: written inline beside them,
  // DuckDB would evaluate every feature's comparison a second time.
  const anyMismatch = comparable.length > 0 ? comparable.map((f) => `__m${f.index}`).join(' OR ') : 'false';
  const withStatus = (select: string) =>
    `SELECT * EXCLUDE (__lp, __rp), CAST(CASE WHEN __rp IS NULL THEN 'only_left' WHEN __lp IS NULL THEN 'only_right'
       WHEN ${anyMismatch} THEN 'mismatch' ELSE 'match' END AS ${STATUS_TYPE}) AS __status FROM (${select})`;
  const present = 'l.__present AS __lp, r.__present AS __rp';
  if (comparable.length <= WIDE_DIFF_FEATURES) {
    const featureSelect = comparable.map(featureColumns).join(', ');
    await session.run(
      `CREATE OR REPLACE TEMP TABLE ${J} AS ${withStatus(
        `SELECT ${alignSelect}${featureSelect ? `, ${featureSelect}` : ''}, ${present} ${join}`,
      )}`,
    );
    return;
  }
  // Hundreds of features: join the raw values first, then compare them. In one statement
  // DuckDB's cost grows faster than the number of features (10× the features, 12× the time).
  const raw = comparable.map(
    (f) => `l.${quoteIdent(f.name)} AS __l${f.index}, r.${quoteIdent(f.name)} AS __r${f.index}`,
  );
  await session.run(`CREATE OR REPLACE TEMP TABLE ${J}_raw AS
    SELECT ${alignSelect}, ${raw.join(', ')}, ${present} ${join}`);
  const compared = comparable.map(
    (f) =>
      `__l${f.index}, __r${f.index}, CASE WHEN __lp AND __rp THEN ${mismatchExpression(f, `__l${f.index}`, `__r${f.index}`)} END AS __m${f.index}`,
  );
  await session.run(`CREATE OR REPLACE TEMP TABLE ${J} AS ${withStatus(
    `SELECT ${alignColumns.map(quoteIdent).join(', ')}, ${compared.join(', ')}, __lp, __rp FROM ${J}_raw`,
  )};
    DROP TABLE ${J}_raw`);
}

/**
 * Whether `J`, joined from every row of both sides, shows that no (key, window) occurs twice on
 * a side. Each row of a side is in `J` at least once; it is there more than once exactly when
 * its (key, window) is twice on the other side. So when the rows on both sides plus the rows on
 * one side only add up to each side's row count, every pair in both is one row against one; what
 * is left to check is the rows on one side only (few, when the sides mostly agree).
 */
async function joinedWithoutDuplicates(
  session: Session,
  plan: DiffPlan,
  rows: { left: number; right: number },
): Promise<boolean> {
  const counts = (
    await session.rows(
      `SELECT ${countIf(BOTH_SIDES)} AS both_sides, ${countIf(`__status = 'only_left'`)} AS only_left,
         ${countIf(`__status = 'only_right'`)} AS only_right FROM ${J}`,
    )
  )[0]!;
  const both = Number(counts.both_sides);
  if (both + Number(counts.only_left) !== rows.left || both + Number(counts.only_right) !== rows.right) {
    return false;
  }
  const align = plan.alignColumns.map(quoteIdent).join(', ');
  const repeated = await session.scalar(
    `SELECT count(*) FROM (SELECT ${align} FROM ${J} WHERE NOT ${BOTH_SIDES} GROUP BY ALL HAVING count(*) > 1)`,
  );
  return Number(repeated) === 0;
}

/** The rows of each side, and the duplicated (key, window) pairs that were set aside. */
export interface Aligned {
  rows: { left: number; right: number };
  duplicates: Duplicates;
}

/**
 * Build the joined table `J` with a status per row; (key, window) pairs that occur more than
 * once on a side are set aside first. The common case has none: the sides are joined whole and
 * the join itself shows there were none (joinedWithoutDuplicates), which spares a hash
 * aggregate over each side. Otherwise (or when an align column is compared as text, where a
 * side's distinct values could meet in their text form) each side's duplicates are found and
 * the join is built again without them.
 */
export async function alignSides(
  session: Session,
  options: DiffOptions,
  plan: DiffPlan,
  sampleSize: number,
): Promise<Aligned> {
  const count = async (side: DiffOptions['left']) =>
    Number(await session.scalar(`SELECT count(*) FROM ${quoteIdent(side.table)}`));
  const rows = { left: await count(options.left), right: await count(options.right) };
  const asText = plan.alignColumns.some((c) => alignsAsText(plan.leftType.get(c)!, plan.rightType.get(c)!));
  if (!asText) {
    await buildJoined(session, plan, wholeSides(options));
    if (await joinedWithoutDuplicates(session, plan, rows)) return { rows, duplicates: noDuplicates() };
    await session.run(`DROP TABLE ${J}`);
  }
  const { duplicates, relation } = await setDuplicatesAside(session, options, plan, sampleSize);
  await buildJoined(session, plan, relation);
  return { rows, duplicates };
}

/** Drop the temporary tables of a diff. */
export async function dropAligned(session: Session): Promise<void> {
  await session.run(
    `DROP TABLE IF EXISTS ${L}_dup; DROP TABLE IF EXISTS ${R}_dup; DROP TABLE IF EXISTS ${J};`,
  );
}
