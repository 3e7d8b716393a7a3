// The order DuckDB gives key and window values in a result (`ORDER BY … ASC NULLS FIRST`),
// recreated on their JSON form so that rows picked per shard can be re-ranked: NULL first,
// numbers by value (big integers and ±Infinity/NaN arrive as text), text by its UTF-8 bytes
// (DuckDB's default binary collation), false before true. Timestamps are ISO 8601 text, which
// sorts as text. Whether a column is numeric comes from its type, recorded by each shard.
import type { JsonValue } from '../diff/index.js';

const INTEGER_TEXT = /^-?\d+$/;
const SPECIAL: Record<string, number> = { '-Infinity': -1, Infinity: 1, NaN: 2 };

function asNumber(value: JsonValue): { big: bigint } | { special: number } | { num: number } | null {
  if (typeof value === 'number') return Number.isInteger(value) ? { big: BigInt(value) } : { num: value };
  if (typeof value === 'string' && INTEGER_TEXT.test(value)) return { big: BigInt(value) };
  if (typeof value === 'string' && value in SPECIAL) return { special: SPECIAL[value]! };
  return null;
}

function compareNumbers(
  a: NonNullable<ReturnType<typeof asNumber>>,
  b: NonNullable<ReturnType<typeof asNumber>>,
): number {
  // NaN sorts last in DuckDB, above +Infinity; -Infinity below every finite number.
  const rank = (x: typeof a) => ('special' in x ? x.special : 0);
  if (rank(a) !== rank(b) || rank(a) !== 0) return Math.sign(rank(a) - rank(b));
  if ('big' in a && 'big' in b) return a.big < b.big ? -1 : a.big > b.big ? 1 : 0;
  const x = 'big' in a ? Number(a.big) : (a as { num: number }).num;
  const y = 'big' in b ? Number(b.big) : (b as { num: number }).num;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Compare two values of one column as DuckDB's ORDER BY … ASC NULLS FIRST would. */
export function compareValues(a: JsonValue, b: JsonValue, numeric: boolean): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (numeric) {
    const x = asNumber(a);
    const y = asNumber(b);
    if (x && y) return compareNumbers(x, y);
  }
  return Buffer.compare(Buffer.from(String(a), 'utf8'), Buffer.from(String(b), 'utf8'));
}

/** A comparator of rows on `columns` in turn; `numeric` names the columns holding numbers. */
export function rowOrder(
  columns: readonly string[],
  numeric: ReadonlySet<string>,
): (a: Record<string, JsonValue>, b: Record<string, JsonValue>) => number {
  return (a, b) => {
    for (const column of columns) {
      const order = compareValues(a[column] ?? null, b[column] ?? null, numeric.has(column));
      if (order !== 0) return order;
    }
    return 0;
  };
}
