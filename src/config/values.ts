// One parser per kind of setting (durations, name lists, numbers, tolerances), shared by the
// command line, the project config and the library API. Each takes the label the user knows the
// setting by (`--max-out-of-orderness`, `featureSets.fraud.maxOutOfOrderness`) and throws a
// UsageError naming it, so the same mistake reads the same wherever it was made.
import { UsageError } from '../errors.js';
import { parseDuration } from '../replay/duration.js';

/** A duration ('30s', '5m', '1h30m', or milliseconds) in milliseconds. */
export function durationMs(value: string | number, label: string): number {
  try {
    return parseDuration(value);
  } catch {
    throw new UsageError(`${label} must be a duration such as 30s, 5m or 1h, got "${value}"`);
  }
}

/** Column or feature names: a comma-separated list or an array; none missing, none twice. */
export function nameList(value: string | readonly string[], label: string): string[] {
  const names = (typeof value === 'string' ? value.split(',') : [...value])
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (names.length === 0) throw new UsageError(`${label} needs at least one column name`);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new UsageError(`${label} names "${duplicate}" twice`);
  return names;
}

export interface NumberRange {
  min?: number;
  max?: number;
  /** Exclude `min` and `max` themselves. */
  open?: boolean;
  integer?: boolean;
}

function rangeText({ min, max, integer, open }: NumberRange): string {
  if (integer) return min === undefined || min === 0 ? 'a whole number' : `a whole number ≥ ${min}`;
  if (open && min === 0 && max === 1) return 'a number between 0 and 1';
  if (min === 0 && max === 1) return 'a number from 0 to 1';
  if (min === 0 && max === undefined) return 'a non-negative number';
  return 'a number';
}

/** A number (given as text on the command line), checked against its range. */
export function numberSetting(value: string | number, label: string, range: NumberRange = {}): number {
  const n = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  const ok =
    Number.isFinite(n) &&
    (range.min === undefined || (range.open ? n > range.min : n >= range.min)) &&
    (range.max === undefined || (range.open ? n < range.max : n <= range.max)) &&
    (!range.integer || Number.isInteger(n));
  if (!ok) throw new UsageError(`${label} must be ${rangeText(range)}, got "${value}"`);
  return n;
}

/** Numeric tolerance, math.isclose-style (see diff/tolerance.ts); a part not given keeps the default. */
export interface ToleranceSetting {
  abs?: number;
  rel?: number;
}

/** A tolerance value: a non-negative number. */
export function toleranceValue(value: string | number, label: string): number {
  return numberSetting(value, label, { min: 0 });
}

/**
 * One per-feature tolerance in the command-line form `feature=abs:0.01`, `feature=rel:1e-6` or
 * `feature=abs:0.01,rel:1e-6`, added to the ones before it.
 */
export function featureTolerance(
  spec: string,
  label: string,
  previous: Record<string, ToleranceSetting> = {},
): Record<string, ToleranceSetting> {
  const eq = spec.lastIndexOf('=');
  if (eq <= 0) throw new UsageError(`${label} expects feature=abs:X[,rel:Y], got "${spec}"`);
  const feature = spec.slice(0, eq);
  const tolerance: ToleranceSetting = {};
  for (const part of spec.slice(eq + 1).split(',')) {
    const match = /^\s*(abs|rel)\s*:\s*(.+)$/.exec(part);
    if (!match) throw new UsageError(`${label} expects feature=abs:X[,rel:Y], got "${spec}"`);
    tolerance[match[1] as 'abs' | 'rel'] = toleranceValue(match[2]!, `${label} ${feature} ${match[1]}`);
  }
  return { ...previous, [feature]: tolerance };
}
