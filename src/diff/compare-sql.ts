// SQL expressions of the diff: how a feature's two values are compared (tolerance, NaN, NULL),
// how align columns of different types are brought together, and the per-feature columns
// of the joined table (__l/__r values, __m differs, __z null-vs-value, __a/__q abs/rel diff).
import { quoteIdent } from '../io/index.js';
import { familyOf } from './family.js';
import type { PlannedFeature } from './plan.js';

function dbl(expr: string): string {
  return `CAST(${expr} AS DOUBLE)`;
}

/** SQL that is TRUE when the two values differ beyond tolerance (never NULL). */
function mismatchExpression(feature: PlannedFeature, l: string, r: string): string {
  if (feature.status === 'type_mismatch') {
    return `(CAST(${l} AS VARCHAR) IS DISTINCT FROM CAST(${r} AS VARCHAR))`;
  }
  if (feature.numeric) {
    const tol = feature.tolerance!;
    const a = dbl(l);
    const b = dbl(r);
    return `(NOT ((${l} IS NULL AND ${r} IS NULL) OR (${l} IS NOT NULL AND ${r} IS NOT NULL AND (
      ${l} = ${r}
      OR (isnan(${a}) AND isnan(${b}))
      OR (isfinite(${a}) AND isfinite(${b}) AND abs(${a} - ${b}) <= greatest(${tol.abs}, ${tol.rel} * greatest(abs(${a}), abs(${b}))))
    ))))`;
  }
  if (familyOf(feature.leftType!) === 'timestamp') {
    return `(CAST(${l} AS TIMESTAMP) IS DISTINCT FROM CAST(${r} AS TIMESTAMP))`;
  }
  return `(${l} IS DISTINCT FROM ${r})`;
}

/** An align column of side `alias`, cast to a type both sides share. */
export function alignExpression(column: string, leftType: string, rightType: string, alias: string): string {
  const ref = `${alias}.${quoteIdent(column)}`;
  if (leftType === rightType) return ref;
  const lf = familyOf(leftType);
  const rf = familyOf(rightType);
  if (lf === rf && lf === 'numeric') return ref;
  if ((lf === 'timestamp' || lf === 'date') && (rf === 'timestamp' || rf === 'date'))
    return `CAST(${ref} AS TIMESTAMP)`;
  return `CAST(${ref} AS VARCHAR)`;
}

/** The joined table's columns for one feature, from the join's `l` and `r` relations. */
export function featureColumns(f: PlannedFeature): string {
  const l = `l.${quoteIdent(f.name)}`;
  const r = `r.${quoteIdent(f.name)}`;
  const parts = [`${l} AS __l${f.index}`, `${r} AS __r${f.index}`];
  parts.push(
    `CASE WHEN l.__present AND r.__present THEN ${mismatchExpression(f, l, r)} END AS __m${f.index}`,
  );
  parts.push(
    `CASE WHEN l.__present AND r.__present THEN (${l} IS NULL) <> (${r} IS NULL) END AS __z${f.index}`,
  );
  if (f.numeric) {
    const a = dbl(l);
    const b = dbl(r);
    parts.push(`CASE WHEN isfinite(${a}) AND isfinite(${b}) THEN abs(${a} - ${b}) END AS __a${f.index}`);
    parts.push(
      `CASE WHEN isfinite(${a}) AND isfinite(${b}) THEN (CASE WHEN ${a} = ${b} THEN 0 ELSE abs(${a} - ${b}) / greatest(abs(${a}), abs(${b})) END) END AS __q${f.index}`,
    );
  }
  return parts.join(', ');
}
