// null_handling: one side has NULL where the other has the "nothing" value of its type — 0, NaN,
// '' or false (SQL's sum() over no non-NULL values is NULL; a stream accumulator starts at 0).
// A mismatching row is explained when every feature that differs in it is such a pair; a row on
// one side only is explained when all its features are NULL or default (one side emits empty
// windows, the other none).
import { familyOf } from '../diff/family.js';
import { quoteIdent } from '../io/index.js';
import { type CheckContext, defineCheck, type Finding } from './check.js';
import { listText, plural } from './describe.js';
import { type Hypothesis, reproduceBest } from './intervene.js';
import { col, isDefaultValue } from './sql.js';

const DEFAULTS: Partial<Record<string, { sql: string; word: string; value: number | string | boolean }>> = {
  numeric: { sql: '0', word: '0', value: 0 },
  string: { sql: "''", word: "''", value: '' },
  boolean: { sql: 'false', word: 'false', value: false },
};
const MAX_COLUMNS = 8;

/** Replay: read each nullable column's NULLs as its type's default and recompute the batch SQL. */
async function nullAsDefault(context: CheckContext): Promise<Finding | undefined> {
  const { recompute, log } = context;
  if (!recompute || !log) return undefined;
  const skip = new Set([...context.joined.keyColumns, log.timeColumn]);
  const candidates = log.columns.filter((c) => !skip.has(c.name) && DEFAULTS[familyOf(c.type)]);
  if (candidates.length === 0) return undefined;
  const nulls = (
    await context.session.rows(
      `SELECT ${candidates.map((c, i) => `count(*) FILTER (WHERE ${quoteIdent(c.name)} IS NULL) AS n${i}`).join(', ')} FROM ${recompute.log}`,
    )
  )[0]!;
  const hypotheses: Hypothesis[] = candidates.flatMap((c, i) => {
    const n = Number(nulls[`n${i}`]);
    const d = DEFAULTS[familyOf(c.type)]!;
    if (n === 0) return [];
    const column = quoteIdent(c.name);
    return [
      {
        intervention: {
          name: `${c.name} NULL as ${d.word}`,
          events: (l: string) => `SELECT * REPLACE (COALESCE(${column}, ${d.sql}) AS ${column}) FROM ${l}`,
          touches: `${column} IS NULL`,
        },
        says: `the ${context.labels.right} reads a NULL ${c.name} as ${d.word} (counts and averages it) where the ${context.labels.left} skips it`,
        evidence: { column: c.name, null_read_as: d.value, null_events: n },
        change: n,
      },
    ];
  });
  return reproduceBest(context, hypotheses.slice(0, MAX_COLUMNS));
}

export const nullHandling = defineCheck({
  code: 'null_handling',
  meaning: "NULL on one side, 0 / '' / false on the other",
  fixHint:
    'treat NULL the same way on both sides: coalesce() in SQL, or skip NULLs / emit null in the stream',
  async run(context: CheckContext): Promise<Finding[] | undefined> {
    const { session, joined } = context;
    const features = joined.features;
    if (features.length === 0) return undefined;
    const replayed = await nullAsDefault(context);
    const { left, right } = context.labels;
    const leftNull = (f: (typeof features)[number]) =>
      `(${col('r', f.leftColumn)} IS NULL AND ${isDefaultValue(col('r', f.rightColumn), f.rightType)})`;
    const rightNull = (f: (typeof features)[number]) =>
      `(${col('r', f.rightColumn)} IS NULL AND ${isDefaultValue(col('r', f.leftColumn), f.leftType)})`;
    const empty = (side: 'left' | 'right') =>
      features
        .map((f) => {
          const column = col('r', side === 'left' ? f.leftColumn : f.rightColumn);
          return `(${column} IS NULL OR ${isDefaultValue(column, side === 'left' ? f.leftType : f.rightType)})`;
        })
        .join(' AND ');
    const checked = context.temp('null_checked');
    await session.run(
      `CREATE OR REPLACE TEMP TABLE ${checked} AS
       SELECT r.__row, r.__status,
         ${features.map((f, i) => `COALESCE(${col('r', f.differsColumn)}, false) AS __m${i}, ${leftNull(f)} AS __ln${i}, ${rightNull(f)} AS __rn${i}`).join(', ')},
         CASE r.__status
           WHEN 'mismatch' THEN ${features.map((f) => `(NOT COALESCE(${col('r', f.differsColumn)}, false) OR ${leftNull(f)} OR ${rightNull(f)})`).join(' AND ')}
           WHEN 'only_left' THEN ${empty('left')}
           WHEN 'only_right' THEN ${empty('right')}
           ELSE false END AS __explained
       FROM ${context.remaining} AS r`,
    );
    // A NULL-vs-default pair is the difference itself (reading NULL as the default reproduces
    // the row); a window on one side only that is all NULL or default merely fits.
    const reproduced = context.temp('null');
    const emptyRows = context.temp('null_empty');
    await session.run(
      `CREATE OR REPLACE TEMP TABLE ${reproduced} AS SELECT __row FROM ${checked} WHERE __explained AND __status = 'mismatch'`,
    );
    await session.run(
      `CREATE OR REPLACE TEMP TABLE ${emptyRows} AS SELECT __row FROM ${checked} WHERE __explained AND __status <> 'mismatch'`,
    );
    const stats = (
      await session.rows(
        `SELECT count(*) AS rows,
           count(*) FILTER (WHERE __status = 'only_left') AS empty_left,
           count(*) FILTER (WHERE __status = 'only_right') AS empty_right
           ${features.map((_, i) => `, count(*) FILTER (WHERE __m${i} AND __ln${i}) AS ln${i}, count(*) FILTER (WHERE __m${i} AND __rn${i}) AS rn${i}`).join('')}
         FROM ${checked} WHERE __explained`,
      )
    )[0]!;
    const rows = Number(stats.rows);
    if (rows === 0) return replayed ? [replayed] : undefined;

    const leftNulls: Record<string, number> = {};
    const rightNulls: Record<string, number> = {};
    const phrases: string[] = [];
    features.forEach((f, i) => {
      const ln = Number(stats[`ln${i}`]);
      const rn = Number(stats[`rn${i}`]);
      if (ln > 0) {
        leftNulls[f.name] = ln;
        phrases.push(
          `${f.name} is NULL on the ${left} side where the ${right} has ${defaultWord(f.rightType)} (${plural(ln, 'row')})`,
        );
      }
      if (rn > 0) {
        rightNulls[f.name] = rn;
        phrases.push(
          `${f.name} is NULL on the ${right} side where the ${left} has ${defaultWord(f.leftType)} (${plural(rn, 'row')})`,
        );
      }
    });
    const emptyLeft = Number(stats.empty_left);
    const emptyRight = Number(stats.empty_right);
    const emptyPhrases: string[] = [];
    if (emptyLeft > 0)
      emptyPhrases.push(
        `the ${left} has ${plural(emptyLeft, 'empty window')} (all NULL or default) that the ${right} does not emit`,
      );
    if (emptyRight > 0)
      emptyPhrases.push(
        `the ${right} has ${plural(emptyRight, 'empty window')} (all NULL or default) that the ${left} does not emit`,
      );
    const why = ' — SQL aggregates over no non-NULL values are NULL while a stream accumulator starts at 0';
    const findings: Finding[] = replayed ? [replayed] : [];
    const pairs = rows - emptyLeft - emptyRight;
    if (pairs > 0) {
      findings.push({
        tier: 'reproduced',
        rows: reproduced,
        message: `${listText(phrases)}${why}`,
        evidence: {
          [`null_on_${left}`]: leftNulls,
          [`null_on_${right}`]: rightNulls,
          rows_explained: pairs,
        },
        change: pairs,
      });
    }
    if (emptyLeft + emptyRight > 0) {
      findings.push({
        tier: 'consistent',
        rows: emptyRows,
        message: `${listText(emptyPhrases)}${why}`,
        evidence: {
          [`empty_windows_only_${left}`]: emptyLeft,
          [`empty_windows_only_${right}`]: emptyRight,
          rows: emptyLeft + emptyRight,
        },
      });
    }
    return findings;
  },
});

function defaultWord(type: string | null): string {
  if (!type) return 'a default';
  if (/CHAR|STRING|TEXT/.test(type)) return "''";
  if (type === 'BOOLEAN') return 'false';
  return '0';
}
