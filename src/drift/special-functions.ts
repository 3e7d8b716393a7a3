// Special functions for the chi-square and normal tail probabilities: log-gamma (Stirling series
// with upward recurrence) and the regularised upper incomplete gamma function Q(a, x), by its
// power series for x < a+1 and Legendre's continued fraction (modified Lentz) otherwise
// (Numerical Recipes, 3rd ed., §6.2). chi2.sf(x, k) = Q(k/2, x/2); 2·norm.sf(|z|) = Q(1/2, z²/2).

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const EPS = Number.EPSILON;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000_000;

/** log Γ(a) for a > 0. */
export function logGamma(a: number): number {
  if (!(a > 0)) return Number.NaN;
  if (a === 1 || a === 2) return 0;
  // Shift a up to >= 15 where the Stirling series below is accurate to double precision.
  let shift = 0;
  let x = a;
  while (x < 15) {
    shift += Math.log(x);
    x += 1;
  }
  const r = 1 / x;
  const r2 = r * r;
  // Σ B_{2j} / (2j(2j-1) x^(2j-1)), j = 1..7
  const series =
    r *
    (1 / 12 +
      r2 *
        (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 / 156))))));
  return (x - 0.5) * Math.log(x) - x + LOG_SQRT_2PI + series - shift;
}

function logPrefactor(a: number, x: number): number {
  return -x + a * Math.log(x) - logGamma(a);
}

/** Regularised upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a). */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0) || Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  if (x < a + 1) {
    // P(a, x) = e^-x x^a / Γ(a+1) · Σ x^n / ((a+1)…(a+n))
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    const p = sum * Math.exp(logPrefactor(a, x));
    return Math.min(1, Math.max(0, 1 - p));
  }
  // Q(a, x) = e^-x x^a / Γ(a) · 1/(x+1-a- 1·(1-a)/(x+3-a- 2·(2-a)/(x+5-a- …)))
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.min(1, Math.max(0, Math.exp(logPrefactor(a, x)) * h));
}

/** Upper tail of the chi-square distribution with `dof` degrees of freedom (scipy.stats.chi2.sf). */
export function chiSquareSf(statistic: number, dof: number): number {
  if (dof <= 0) return Number.NaN;
  if (statistic <= 0) return 1;
  return gammaQ(dof / 2, statistic / 2);
}

/** Two-sided normal p-value 2·P(Z >= |z|) = erfc(|z|/√2). */
export function normalTwoSidedP(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z === 0) return 1;
  return gammaQ(0.5, (z * z) / 2);
}
