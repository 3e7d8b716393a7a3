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
  if (value instanceof Uint8Array) return blobText(value);
  if (typeof value === 'object') return nestedText(value);
  return String(value);
}

/** BLOB bytes as DuckDB prints them: printable ASCII as is, other bytes as \xHH. */
function blobText(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    out +=
      b >= 0x20 && b < 0x7f && b !== 0x5c
        ? String.fromCharCode(b)
        : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const quoted = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * A STRUCT, LIST or MAP value (as the DuckDB client gives it: objects, arrays, MAP as
 * {key, value} entries) on one line in DuckDB's notation, e.g. {'a': 1, 'b': [1, 2]}.
 */
export function nestedText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return quoted(value);
  if (value instanceof Date) return quoted(value.toISOString());
  if (value instanceof Uint8Array) return quoted(blobText(value));
  if (Array.isArray(value)) return `[${value.map(nestedText).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${quoted(k)}: ${nestedText(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}
