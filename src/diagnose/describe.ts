// Words and numbers for diagnosis messages: durations, rows, values, suggested tolerances.
import { jsonValue } from '../diff/json-value.js';
import type { JsRow } from '../io/index.js';
import { int, keyText, num, percent, time, value } from '../report/format.js';

export { int, percent };

const UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/** A signed duration in the units users type: +1h, -30m, +1h30m, +250ms. */
export function durationText(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  let rest = Math.abs(ms);
  if (rest === 0) return '0s';
  let text = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      text += `${n}${unit}`;
      rest -= n * size;
    }
  }
  if (rest > 0) text += `${num(rest)}ms`;
  return `${sign}${text}`;
}

/** "user_id=u1 2026-01-01 10:00:00 → 2026-01-01 10:05:00" for a row of the joined table. */
export function rowText(row: JsRow, keyColumns: string[], timeColumns: string[]): string {
  const key = keyText(Object.fromEntries(keyColumns.map((k) => [k, jsonValue(row[k])])));
  const window = timeColumns.map((c) => time(jsonValue(row[c]))).join(' → ');
  return `${key} ${window}`.trim();
}

export function valueText(v: unknown): string {
  return value(jsonValue(v));
}

/** The smallest power of ten at or above x: the relative tolerance to suggest. */
export function toleranceAbove(x: number): number {
  if (!(x > 0)) return 1e-9;
  const exponent = Math.ceil(Math.log10(x) - 1e-12);
  return Number(`1e${exponent}`);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${int(n)} ${n === 1 ? one : many}`;
}

/** The verb form for a count: agree(1, 'matches', 'match'). */
export function agree(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** "a, b and c" */
export function listText(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
