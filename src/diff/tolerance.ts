// Numeric tolerance, math.isclose-style: a and b match when
//   |a − b| ≤ max(abs, rel · max(|a|, |b|)).
// The defaults absorb the last bits lost to a different summation order (SQL sums in parallel,
// a stream sums in event order): for a sum of n doubles the relative error is about n · 2⁻⁵³,
// so 1e-9 covers sums of millions of terms while any real difference (a cent, an event) shows.
import { UsageError } from '../errors.js';
import type { Tolerance } from './types.js';

export const DEFAULT_TOLERANCE: Tolerance = { abs: 1e-9, rel: 1e-9 };

function parseNonNegative(text: string, what: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`${what} must be a non-negative number, got "${text}"`);
  }
  return value;
}

export function parseToleranceValue(text: string, what: string): number {
  return parseNonNegative(text, what);
}

/**
 * Parse one `--tol` override: `feature=abs:0.01`, `feature=rel:1e-6` or `feature=abs:0.01,rel:1e-6`.
 * Parts not given keep the global value.
 */
export function parseFeatureTolerance(spec: string, base: Tolerance): [string, Tolerance] {
  const eq = spec.lastIndexOf('=');
  if (eq <= 0) throw new UsageError(`--tol expects feature=abs:X[,rel:Y], got "${spec}"`);
  const feature = spec.slice(0, eq);
  const tolerance: Tolerance = { ...base };
  for (const part of spec.slice(eq + 1).split(',')) {
    const match = /^\s*(abs|rel)\s*:\s*(.+)$/.exec(part);
    if (!match) throw new UsageError(`--tol expects feature=abs:X[,rel:Y], got "${spec}"`);
    tolerance[match[1] as 'abs' | 'rel'] = parseNonNegative(match[2]!, `--tol ${feature} ${match[1]}`);
  }
  return [feature, tolerance];
}
