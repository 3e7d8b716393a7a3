// How a recomputation under a hypothesis is judged: one full join of the recomputed rows with the
// diff's joined rows of the same keys tells, per (key, window), whether the recomputation agrees
// with the stream (the row is reproduced), whether it still equals the batch (the change did not
// touch it), agrees only up to floating-point rounding, or is a row neither side has.
import { mismatchExpression } from '../diff/compare-sql.js';
import { familyOf } from '../diff/family.js';
import { quoteIdent } from '../io/index.js';
import type { CheckContext } from './check.js';
import { col, keysMatch, roundingOnly } from './sql.js';

/** A table of keys (the key columns of the diff) and the types of its columns. */
export interface ScopeKeys {
  table: string;
  types: ReadonlyMap<string, string>;
}

/** TRUE when the row `alias` (columns typed `types`) has a key of the scope. */
export function inScope(
  scope: ScopeKeys,
  context: CheckContext,
  alias: string,
  types: ReadonlyMap<string, string>,
): string {
  return `EXISTS (SELECT 1 FROM ${scope.table} AS s WHERE ${keysMatch(context.joined.keyColumns, { alias: 's', types: scope.types }, { alias, types })})`;
}

function alignColumns(context: CheckContext): string[] {
  return [...context.joined.keyColumns, ...context.joined.timeColumns];
}

/** An align column as both sides of the comparison carry it: timestamps as TIMESTAMP, the rest as text. */
function alignValue(
  context: CheckContext,
  alias: string,
  column: string,
  types: ReadonlyMap<string, string>,
  window?: (c: string) => string,
): string {
  const family = familyOf(types.get(column) ?? 'VARCHAR');
  if (context.joined.timeColumns.includes(column) && (family === 'timestamp' || family === 'date'))
    return `CAST(${window ? window(col(alias, column)) : col(alias, column)} AS TIMESTAMP)`;
  return `CAST(${col(alias, column)} AS VARCHAR)`;
}

/** The rows whose recomputed features are those of the left side (the batch) exactly: most rows, for most changes. */
function asLeft(context: CheckContext, recomputed: (i: number) => string, alias: string): string {
  return (
    context.joined.features
      .map((f, i) => `${recomputed(i)} IS NOT DISTINCT FROM ${col(alias, f.leftColumn)}`)
      .join(' AND ') || 'true'
  );
}

/** Whether `value(i)` (feature i) agrees with the right side (the stream), and agrees up to floating-point rounding. */
function againstRight(context: CheckContext, value: (i: number) => string, alias: string) {
  const { features } = context.joined;
  return {
    differs:
      features.map((f, i) => mismatchExpression(f, value(i), col(alias, f.rightColumn))).join(' OR ') ||
      'false',
    close:
      features
        .map((f, i) => {
          const d = mismatchExpression(f, value(i), col(alias, f.rightColumn));
          return f.numeric
            ? `(NOT ${d} OR ${roundingOnly(value(i), col(alias, f.rightColumn))})`
            : `NOT ${d}`;
        })
        .join(' AND ') || 'true',
  };
}

/**
 * The joined rows (differing ones with their `__row`, and the agreeing ones) of the scope's keys;
 * with both sides, how the left side compares with the right (`__lr_agrees`, `__lr_close`): what
 * a recomputation that leaves a row as the batch had it gives, without comparing it again. Both
 * read the diff's own verdicts (a `match` row agrees; a `mismatch` row per its differs flags).
 */
export async function referenceRows(context: CheckContext, keys: ScopeKeys, name: string): Promise<string> {
  const { joined } = context;
  const table = context.temp(name);
  const columns = (alias: string) => {
    const differs = (f: (typeof joined.features)[number]) => `COALESCE(${col(alias, f.differsColumn)}, true)`;
    const agrees = joined.features.map((f) => `NOT ${differs(f)}`).join(' AND ') || 'true';
    const close =
      joined.features
        .map((f) =>
          f.numeric
            ? `(NOT ${differs(f)} OR ${roundingOnly(col(alias, f.leftColumn), col(alias, f.rightColumn))})`
            : `NOT ${differs(f)}`,
        )
        .join(' AND ') || 'true';
    const status = `${alias}.__status`;
    return [
      ...alignColumns(context).map(
        (c, i) => `${alignValue(context, alias, c, context.joinedTypes)} AS __k${i}`,
      ),
      status,
      ...joined.features.flatMap((f) => [col(alias, f.leftColumn), col(alias, f.rightColumn)]),
      `CASE WHEN ${status} = 'match' THEN true WHEN ${status} = 'mismatch' THEN ${agrees} END AS __lr_agrees`,
      `CASE WHEN ${status} = 'match' THEN true WHEN ${status} = 'mismatch' THEN ${close} END AS __lr_close`,
    ].join(', ');
  };
  await context.session.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
     SELECT r.__row, ${columns('r')} FROM ${context.rows} AS r WHERE ${inScope(keys, context, 'r', context.joinedTypes)}
     UNION ALL
     SELECT NULL::BIGINT, ${columns('j')} FROM ${quoteIdent(joined.table)} AS j
     WHERE j.__status = 'match' AND ${inScope(keys, context, 'j', context.joinedTypes)}`,
  );
  return table;
}

export interface Comparison {
  /** Table with `__row`: the differing rows that agree with the stream after the intervention. */
  table: string;
  rows: number;
  /** Agreeing rows that differ afterwards, and rows the recomputation invents. */
  broken: number;
  /** Differing rows whose recomputed values are no longer the batch's. */
  changed: number;
  /** Table with `__row`: differing rows that agree afterwards up to floating-point rounding only. */
  residue: string;
  residueRows: number;
}

/**
 * Compares `output` (the batch SQL re-run on the scope's transformed events) with the reference
 * rows of the scope; undefined when the output lacks an align column or a feature.
 */
export async function compareRecomputed(
  context: CheckContext,
  scope: ScopeKeys & { reference: string },
  output: string,
  window: ((c: string) => string) | undefined,
  run: number,
): Promise<Comparison | undefined> {
  const { session, joined } = context;
  const types = new Map((await session.columnsOf(output)).map((c) => [c.name, c.type]));
  const align = alignColumns(context);
  if (!align.every((c) => types.has(c)) || !joined.features.every((f) => types.has(f.name))) return undefined;
  const recomputed = (i: number) => `a.__f${i}`;
  const right = againstRight(context, recomputed, 'x');
  const sameAsLeft =
    joined.features
      .map((f, i) => mismatchExpression(f, recomputed(i), col('x', f.leftColumn)))
      .join(' OR ') || 'false';
  // A row recomputed exactly as the batch had it compares with the stream as the batch did.
  const unchanged = `x.__status IN ('match', 'mismatch') AND ${asLeft(context, recomputed, 'x')}`;
  const keyCount = joined.keyColumns.length;
  const compared = context.temp(`rc_cmp${run}`);
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${compared} AS
     SELECT x.__row, x.__status, ${align.map((_, i) => `COALESCE(a.__k${i}, x.__k${i}) AS __k${i}`).join(', ')},
       a.__p IS NOT NULL AS __present,
       CASE WHEN a.__p IS NULL THEN x.__status = 'only_left'
            WHEN x.__status IS NULL OR x.__status = 'only_left' THEN false
            WHEN ${unchanged} THEN x.__lr_agrees
            ELSE NOT (${right.differs}) END AS __agrees,
       CASE WHEN a.__p IS NULL THEN x.__status = 'only_right'
            WHEN x.__status IS NULL OR x.__status = 'only_right' THEN false
            WHEN ${unchanged} THEN true
            ELSE NOT (${sameAsLeft}) END AS __same,
       CASE WHEN a.__p IS NULL OR x.__status IS NULL OR x.__status = 'only_left' THEN false
            WHEN ${unchanged} THEN x.__lr_close
            ELSE ${right.close} END AS __close
     FROM (SELECT ${align.map((c, i) => `${alignValue(context, 'a', c, types, window)} AS __k${i}`).join(', ')},
             ${joined.features.map((f, i) => `${col('a', f.name)} AS __f${i}`).join(', ')}, true AS __p
           FROM ${quoteIdent(output)} AS a WHERE ${inScope(scope, context, 'a', types)}) AS a
     FULL OUTER JOIN ${scope.reference} AS x
       ON ${align.map((_, i) => `a.__k${i} IS NOT DISTINCT FROM x.__k${i}`).join(' AND ')}`,
  );
  // A row only the batch has is "reproduced" by any change that empties its window; it counts
  // only when the stream has no row for its key, or the recomputation agrees with one of them.
  const keyList = Array.from({ length: keyCount }, (_, i) => `__k${i}`).join(', ');
  const reproduced = context.temp(`rc_rows${run}`);
  const residue = context.temp(`rc_residue${run}`);
  const byKey = context.temp(`rc_keys${run}`);
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${byKey} AS
     SELECT ${keyList}, bool_or(__present AND __agrees AND __status IS DISTINCT FROM 'only_left') AS __ok,
       bool_or(__status IN ('match', 'mismatch', 'only_right')) AS __has
     FROM ${compared} GROUP BY ALL`,
  );
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${reproduced} AS
     SELECT c.__row FROM ${compared} AS c JOIN ${byKey} AS k USING (${keyList})
     WHERE c.__row IS NOT NULL AND c.__agrees AND (c.__status <> 'only_left' OR k.__ok OR NOT k.__has)`,
  );
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${residue} AS
     SELECT __row FROM ${compared} WHERE __row IS NOT NULL AND NOT __agrees AND __close AND NOT __same`,
  );
  const stats = (
    await session.rows(
      // A row the recomputation invents breaks the comparison when the stream emits its key; a key
      // the stream never emits is another cause's doing (the stream keys it differently).
      `SELECT (SELECT count(*) FROM ${reproduced}) AS rows, (SELECT count(*) FROM ${residue}) AS residue,
         count(*) FILTER (WHERE (c.__status = 'match' AND NOT c.__agrees) OR (c.__status IS NULL AND k.__has)) AS broken,
         count(*) FILTER (WHERE c.__row IS NOT NULL AND NOT c.__same) AS changed
       FROM ${compared} AS c JOIN ${byKey} AS k USING (${keyList})`,
    )
  )[0]!;
  await session.run(`DROP TABLE IF EXISTS ${compared}`);
  await session.run(`DROP TABLE IF EXISTS ${byKey}`);
  return {
    table: reproduced,
    rows: Number(stats.rows),
    broken: Number(stats.broken),
    changed: Number(stats.changed),
    residue,
    residueRows: Number(stats.residue),
  };
}
