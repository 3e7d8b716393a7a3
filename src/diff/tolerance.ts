// Numeric tolerance, math.isclose-style: a and b match when
//   |a − b| ≤ max(abs, rel · max(|a|, |b|)).
// The defaults absorb the last bits lost to a different summation order (SQL sums in parallel,
// a stream sums in event order): for a sum of n doubles the relative error is about n · 2⁻⁵³,
// so 1e-9 covers sums of millions of terms while any real difference (a cent, an event) shows.
import type { Tolerance } from './types.js';

export const DEFAULT_TOLERANCE: Tolerance = { abs: 1e-9, rel: 1e-9 };
