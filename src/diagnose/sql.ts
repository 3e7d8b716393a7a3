// SQL fragments shared by the checks: value comparison, "default" values, key matching across
// tables whose key columns may have different types. Every identifier goes through quoteIdent.
import { familyOf } from '../diff/family.js';
import { quoteIdent } from '../io/index.js';

/** `alias."column"`, or just `"column"` without an alias. */
export function col(alias: string | undefined, name: string): string {
  return alias ? `${alias}.${quoteIdent(name)}` : quoteIdent(name);
}

/**
 * TRUE when two numbers are the same value up to rounding noise (`math.isclose` with rel 1e-9,
 * abs 1e-9): used to test a hypothesis ("this value is that count"), never to judge skew.
 */
export function sameNumber(a: string, b: string): string {
  const x = `CAST(${a} AS DOUBLE)`;
  const y = `CAST(${b} AS DOUBLE)`;
  return `COALESCE(${x} = ${y} OR (isnan(${x}) AND isnan(${y})) OR (isfinite(${x}) AND isfinite(${y}) AND abs(${x} - ${y}) <= greatest(1e-9, 1e-9 * greatest(abs(${x}), abs(${y})))), false)`;
}

/** TRUE when two values of possibly different types are equal (NULL equals NULL). */
export function sameValue(a: string, aType: string | null, b: string, bType: string | null): string {
  const af = aType ? familyOf(aType) : 'other';
  const bf = bType ? familyOf(bType) : 'other';
  if (af === 'numeric' && bf === 'numeric') return `((${a} IS NULL AND ${b} IS NULL) OR ${sameNumber(a, b)})`;
  if (aType === bType) return `(${a} IS NOT DISTINCT FROM ${b})`;
  if ((af === 'timestamp' || af === 'date') && (bf === 'timestamp' || bf === 'date')) {
    return `(CAST(${a} AS TIMESTAMP) IS NOT DISTINCT FROM CAST(${b} AS TIMESTAMP))`;
  }
  return `(CAST(${a} AS VARCHAR) IS NOT DISTINCT FROM CAST(${b} AS VARCHAR))`;
}

/** Key equality between two relations; columns of different types compare as text (as the diff aligns them). */
export function keysMatch(
  keyColumns: readonly string[],
  a: { alias: string; types: ReadonlyMap<string, string> },
  b: { alias: string; types: ReadonlyMap<string, string> },
): string {
  if (keyColumns.length === 0) return 'true';
  return keyColumns
    .map((k) => {
      const at = a.types.get(k) ?? 'VARCHAR';
      const bt = b.types.get(k) ?? 'VARCHAR';
      const x = col(a.alias, k);
      const y = col(b.alias, k);
      if (at === bt || (familyOf(at) === 'numeric' && familyOf(bt) === 'numeric'))
        return `${x} IS NOT DISTINCT FROM ${y}`;
      return `CAST(${x} AS VARCHAR) IS NOT DISTINCT FROM CAST(${y} AS VARCHAR)`;
    })
    .join(' AND ');
}

/** TRUE when a value is what an implementation emits for "nothing": 0, NaN, '', false. */
export function isDefaultValue(expression: string, type: string | null): string {
  const family = type ? familyOf(type) : 'other';
  if (family === 'numeric')
    return `COALESCE(CAST(${expression} AS DOUBLE) = 0 OR isnan(CAST(${expression} AS DOUBLE)), false)`;
  if (family === 'string') return `COALESCE(${expression} = '', false)`;
  if (family === 'boolean') return `COALESCE(${expression} = false, false)`;
  return 'false';
}

/** Microseconds since the epoch of a timestamp-like expression. */
export function epochUs(expression: string): string {
  return `epoch_us(CAST(${expression} AS TIMESTAMP))`;
}

export function isTimeType(type: string | null | undefined): boolean {
  if (!type) return false;
  const family = familyOf(type);
  return family === 'timestamp' || family === 'date';
}

export function isNumericType(type: string | null | undefined): boolean {
  return Boolean(type) && familyOf(type!) === 'numeric';
}

/** Relative differences at most this are floating-point rounding (float32, summation order). */
const MAX_ROUNDING = 1e-5;

/**
 * TRUE when two numbers differ by rounding only: relative difference at most MAX_ROUNDING, one
 * of them not a whole number, and the difference not a whole number of cents (a missing cent is
 * a real difference, however small next to the total).
 */
export function roundingOnly(l: string, r: string): string {
  const a = `CAST(${l} AS DOUBLE)`;
  const b = `CAST(${r} AS DOUBLE)`;
  const d = `abs(${a} - ${b})`;
  return `COALESCE(isfinite(${a}) AND isfinite(${b})
        AND ${d} <= ${MAX_ROUNDING} * greatest(abs(${a}), abs(${b}))
        AND (${a} <> round(${a}) OR ${b} <> round(${b}))
        AND NOT (round(${d} * 100) >= 1 AND abs(${d} * 100 - round(${d} * 100)) < 1e-6), false)`;
}
