// SQL expressions of the diff: how a feature's two values are compared (tolerance, NaN, NULL),
// how align columns of different types are brought together, and the per-feature columns
// of the joined table (__l/__r values, __m differs) and what derives from them (null against a
// value, abs/rel diff).
// Integers and decimals are compared exactly: their difference is computed in HUGEINT or
// DECIMAL(38, s) arithmetic, and only that exact difference is held against the tolerance
// (as doubles, 1234567890123456789 and …788 are the same number).
import { quoteIdent } from '../io/index.js';
import { familyOf } from './family.js';
import type { PlannedFeature } from './plan.js';

/**
 * An aggregate counting the rows where `condition` is TRUE (0 when none). \`count_if\` is several
 * times faster than \`count(*) FILTER (WHERE …)\` when a pass holds hundreds of them.
 */
export function countIf(condition: string): string {
  return `COALESCE(count_if(${condition}), 0)`;
}

/** SQL over the joined table: TRUE when the row is on both sides. */
export const BOTH_SIDES = "__status IN ('match', 'mismatch')";

const INTEGER = /^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/;
const DECIMAL = /^DECIMAL\((\d+),\s*(\d+)\)$/;

function dbl(expr: string): string {
  return `CAST(${expr} AS DOUBLE)`;
}

/**
 * The exact |l − r| for two integer or decimal columns, as SQL (NULL when it overflows even
 * 128-bit arithmetic, e.g. HUGEINT extremes), or undefined when either side is a float.
 */
function exactDifference(
  feature: Pick<PlannedFeature, 'leftType' | 'rightType'>,
  l: string,
  r: string,
): string | undefined {
  const types = [feature.leftType ?? '', feature.rightType ?? ''];
  if (types.every((t) => INTEGER.test(t))) {
    return `TRY(abs(CAST(${l} AS HUGEINT) - CAST(${r} AS HUGEINT)))`;
  }
  if (!types.every((t) => INTEGER.test(t) || DECIMAL.test(t))) return undefined;
  const scale = Math.max(...types.map((t) => Number(DECIMAL.exec(t)?.[2] ?? 0)));
  const wide = `DECIMAL(38, ${scale})`;
  return `TRY(abs(CAST(${l} AS ${wide}) - CAST(${r} AS ${wide})))`;
}

/** |l − r| as a DOUBLE: exact first for integers and decimals, else in floating point. */
function absoluteDifference(
  feature: Pick<PlannedFeature, 'leftType' | 'rightType'>,
  l: string,
  r: string,
): string {
  const floating = `abs(${dbl(l)} - ${dbl(r)})`;
  const exact = exactDifference(feature, l, r);
  return exact ? `COALESCE(${dbl(exact)}, ${floating})` : floating;
}

/**
 * A cheap test that is TRUE only when absoluteDifference of two finite values is exactly 0, or
 * undefined when there is none: the DOUBLE values are equal (a float side), or the values are
 * equal in their one type (integers and decimals of the same type compare exactly). Most rows of
 * a diff agree: testing this first skips the wide casts of the exact difference for them.
 */
function sameValue(feature: Pick<PlannedFeature, 'leftType' | 'rightType'>, l: string, r: string) {
  if (exactDifference(feature, l, r) === undefined) return `${dbl(l)} = ${dbl(r)}`;
  return feature.leftType === feature.rightType ? `${l} = ${r}` : undefined;
}

/** SQL that is TRUE when the two values differ beyond tolerance (never NULL); the diagnosis reuses it. */
export function mismatchExpression(
  feature: Pick<PlannedFeature, 'status' | 'numeric' | 'tolerance' | 'leftType' | 'rightType'>,
  l: string,
  r: string,
): string {
  if (feature.status === 'type_mismatch') {
    return `(CAST(${l} AS VARCHAR) IS DISTINCT FROM CAST(${r} AS VARCHAR))`;
  }
  if (feature.numeric) {
    const tol = feature.tolerance!;
    const a = dbl(l);
    const b = dbl(r);
    // Equal values are decided by \`l = r\` alone (it is the first test of the full expression);
    // in a CASE, DuckDB evaluates the rest only for the rows where it is not TRUE.
    return `(CASE WHEN ${l} = ${r} THEN false ELSE (NOT ((${l} IS NULL AND ${r} IS NULL) OR (${l} IS NOT NULL AND ${r} IS NOT NULL AND (
      ${l} = ${r}
      OR (isnan(${a}) AND isnan(${b}))
      OR (isfinite(${a}) AND isfinite(${b}) AND ${absoluteDifference(feature, l, r)} <= greatest(${tol.abs}, ${tol.rel} * greatest(abs(${a}), abs(${b}))))
    )))) END)`;
  }
  if (familyOf(feature.leftType!) === 'timestamp') {
    return `(CAST(${l} AS TIMESTAMP) IS DISTINCT FROM CAST(${r} AS TIMESTAMP))`;
  }
  return `(${l} IS DISTINCT FROM ${r})`;
}

/** Whether an align column of these two types is aligned on its text form (see alignExpression). */
export function alignsAsText(leftType: string, rightType: string): boolean {
  if (leftType === rightType) return false;
  const lf = familyOf(leftType);
  const rf = familyOf(rightType);
  if (lf === rf && lf === 'numeric') return false;
  return !((lf === 'timestamp' || lf === 'date') && (rf === 'timestamp' || rf === 'date'));
}

/** An align column of side `alias`, cast to a type both sides share. */
export function alignExpression(column: string, leftType: string, rightType: string, alias: string): string {
  const ref = `${alias}.${quoteIdent(column)}`;
  if (leftType === rightType) return ref;
  if (alignsAsText(leftType, rightType)) return `CAST(${ref} AS VARCHAR)`;
  return familyOf(leftType) === 'numeric' ? ref : `CAST(${ref} AS TIMESTAMP)`;
}

/**
 * The joined table's columns for one feature, from the join's `l` and `r` relations: the two
 * values and the differs flag. What derives from them (NULL against a value, absolute and
 * relative difference) is computed by the queries that read it (`derivedColumns`), so a wide
 * diff (hundreds of features) does not hold six columns per feature.
 */
export function featureColumns(f: PlannedFeature): string {
  const l = `l.${quoteIdent(f.name)}`;
  const r = `r.${quoteIdent(f.name)}`;
  return [
    `${l} AS __l${f.index}`,
    `${r} AS __r${f.index}`,
    `CASE WHEN l.__present AND r.__present THEN ${mismatchExpression(f, l, r)} END AS __m${f.index}`,
  ].join(', ');
}

/** SQL over the joined table's columns for one feature: NULL against a value, |l − r| and relative difference. */
export function derivedColumns(f: PlannedFeature): {
  nullMismatch: string;
  absDiff: string;
  relDiff: string;
  /** The relative difference from a column holding `absDiff` (one evaluation of it, not two). */
  relDiffFrom: (absDiff: string) => string;
} {
  const l = `__l${f.index}`;
  const r = `__r${f.index}`;
  const nullMismatch = `CASE WHEN ${BOTH_SIDES} THEN (${l} IS NULL) <> (${r} IS NULL) END`;
  if (!f.numeric) {
    return {
      nullMismatch,
      absDiff: 'NULL::DOUBLE',
      relDiff: 'NULL::DOUBLE',
      relDiffFrom: () => 'NULL::DOUBLE',
    };
  }
  // Integers and decimals are finite whenever they are not NULL (the widest fits a DOUBLE).
  const finiteSql = (column: string, type: string | null) =>
    INTEGER.test(type ?? '') || DECIMAL.test(type ?? '')
      ? `${column} IS NOT NULL`
      : `isfinite(${dbl(column)})`;
  const finite = `${finiteSql(l, f.leftType)} AND ${finiteSql(r, f.rightType)}`;
  const diff = absoluteDifference(f, l, r);
  const same = sameValue(f, l, r);
  const zero = same ? `WHEN ${same} THEN 0 ` : '';
  return {
    nullMismatch,
    absDiff: `CASE WHEN ${finite} THEN ${same ? `(CASE WHEN ${same} THEN 0 ELSE ${diff} END)` : diff} END`,
    relDiff: `CASE WHEN ${finite} THEN (CASE ${zero}WHEN ${diff} = 0 THEN 0 ELSE ${diff} / greatest(abs(${dbl(l)}), abs(${dbl(r)})) END) END`,
    // absDiff is NULL exactly when a value is not finite, and 0 exactly when relDiff is 0.
    relDiffFrom: (a) => `CASE WHEN ${a} = 0 THEN 0 ELSE ${a} / greatest(abs(${dbl(l)}), abs(${dbl(r)})) END`,
  };
}
