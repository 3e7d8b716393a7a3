// Multiple-testing adjustment of the p-values of one run: Benjamini–Hochberg step-up adjusted
// p-values (Benjamini & Hochberg, JRSS B 57(1), 1995; as R's p.adjust(method = "BH")), Bonferroni,
// or none. Comparing an adjusted p-value with alpha controls the false discovery rate (BH) or the
// family-wise error rate (Bonferroni) across all tests in the family.

export const CORRECTIONS = ['bh', 'bonferroni', 'none'] as const;
export type Correction = (typeof CORRECTIONS)[number];

export function adjustPValues(pvalues: readonly number[], correction: Correction): number[] {
  const m = pvalues.length;
  if (correction === 'none' || m === 0) return [...pvalues];
  if (correction === 'bonferroni') return pvalues.map((p) => Math.min(1, p * m));
  const order = pvalues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const [p, index] = order[rank - 1]!;
    running = Math.min(running, (p * m) / rank);
    adjusted[index] = running;
  }
  return adjusted;
}
