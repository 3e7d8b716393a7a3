// A DuckDB value as it appears in a JSON result. A leaf module: the diff engine, the replay and
// the diagnosis import it directly (not through the barrel).
import type { JsonValue } from './types.js';

/** A DuckDB value as JSON: Dates as ISO strings, non-finite numbers as strings, bigints kept. */
export function jsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') {
    const asNumber = Number(value);
    return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}
