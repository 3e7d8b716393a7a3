// Aligning the two sides: (key, window) pairs that occur more than once on a side are set
// aside and reported (never fanned out in the join), then the rest are full-outer-joined on
// key + window into one temporary table with a status per row.
import { quoteIdent, type Session } from '../io/index.js';
import { alignExpression, featureColumns, mismatchExpression } from './compare-sql.js';
import { jsonValue } from './json-value.js';
import type { DiffOptions, DiffPlan } from './plan.js';
import type { DuplicateSide } from './types.js';

export const L = '__l';
export const R = '__r';
export const J = '__joined';
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
): Promise<{ duplicates: Duplicates; relation: Record<typeof L | typeof R, string> }> {
  const { alignColumns, timeColumns } = plan;
  const align = alignColumns.map(quoteIdent).join(', ');
  const relation: Record<typeof L | typeof R, string> = { [L]: '', [R]: '' };
  const duplicates: Duplicates = {
    left: { groups: 0, rows: 0, examples: [] },
    right: { groups: 0, rows: 0, examples: [] },
  };
  for (const [alias, side, name] of [
    [L, options.left, 'left'],
    [R, options.right, 'right'],
  ] as const) {
    const dup = `${alias}_dup`;
    await session.run(
      `CREATE OR REPLACE TEMP TABLE ${dup} AS SELECT ${align}, count(*) AS __n FROM ${quoteIdent(side.table)} GROUP BY ALL HAVING count(*) > 1`,
    );
    duplicates[name] = await describeDuplicates(session, dup, options.keyColumns, timeColumns, sampleSize);
    const unique =
      duplicates[name].rows === 0
        ? ''
        : `WHERE NOT EXISTS (SELECT 1 FROM ${dup} AS d WHERE ${alignColumns.map((c) => `d.${quoteIdent(c)} IS NOT DISTINCT FROM t.${quoteIdent(c)}`).join(' AND ')})`;
    relation[alias] = `(SELECT t.*, true AS __present FROM ${quoteIdent(side.table)} AS t ${unique})`;
  }
  return { duplicates, relation };
}

/**
 * Build the joined table `J`: a full outer join on key + window (NULL keys match NULL keys)
 * with a status per row and the per-feature comparison columns.
 */
export async function alignSides(
  session: Session,
  options: DiffOptions,
  plan: DiffPlan,
  sampleSize: number,
): Promise<Duplicates> {
  const { alignColumns, leftType, rightType, comparable } = plan;
  const { duplicates, relation } = await setDuplicatesAside(session, options, plan, sampleSize);
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
  const presence = `CASE WHEN r.__present IS NULL THEN 'only_left' WHEN l.__present IS NULL THEN 'only_right' END AS __presence`;
  if (comparable.length <= WIDE_DIFF_FEATURES) {
    const featureSelect = comparable.map(featureColumns).join(', ');
    await session.run(`CREATE OR REPLACE TEMP TABLE ${J} AS
      SELECT ${alignSelect}${featureSelect ? `, ${featureSelect}` : ''}, ${presence} ${join}`);
  } else {
    // Hundreds of features: join the raw values first, then compare them. In one statement
    // DuckDB's cost grows faster than the number of features (10× the features, 12× the time).
    const raw = comparable.map(
      (f) => `l.${quoteIdent(f.name)} AS __l${f.index}, r.${quoteIdent(f.name)} AS __r${f.index}`,
    );
    await session.run(`CREATE OR REPLACE TEMP TABLE ${J}_raw AS
      SELECT ${alignSelect}, ${raw.join(', ')}, l.__present AS __lp, r.__present AS __rp, ${presence} ${join}`);
    const compared = comparable.map(
      (f) =>
        `__l${f.index}, __r${f.index}, CASE WHEN __lp AND __rp THEN ${mismatchExpression(f, `__l${f.index}`, `__r${f.index}`)} END AS __m${f.index}`,
    );
    await session.run(`CREATE OR REPLACE TEMP TABLE ${J} AS
      SELECT ${alignColumns.map(quoteIdent).join(', ')}, ${compared.join(', ')}, __presence FROM ${J}_raw;
      DROP TABLE ${J}_raw`);
  }
  // The status reads the stored differs flags: written inline in the same SELECT, DuckDB would
  // evaluate every feature's comparison a second time (a wide diff's cost doubled).
  const anyMismatch = comparable.length > 0 ? comparable.map((f) => `__m${f.index}`).join(' OR ') : 'false';
  await session.run(`ALTER TABLE ${J} ADD COLUMN __status VARCHAR;
    UPDATE ${J} SET __status = CASE WHEN __presence IS NOT NULL THEN __presence WHEN ${anyMismatch} THEN 'mismatch' ELSE 'match' END`);
  return duplicates;
}

/** Drop the temporary tables of a diff. */
export async function dropAligned(session: Session): Promise<void> {
  await session.run(
    `DROP TABLE IF EXISTS ${L}_dup; DROP TABLE IF EXISTS ${R}_dup; DROP TABLE IF EXISTS ${J};`,
  );
}
