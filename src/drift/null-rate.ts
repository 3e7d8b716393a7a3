// The change in the share of missing values (NULL, and NaN for floating-point columns) between
// snapshots, with a pooled two-proportion z-test (e.g. Agresti, "Categorical Data Analysis", §2.2).
import { normalTwoSidedP } from './special-functions.js';

export interface NullRateComparison {
  train: number;
  prod: number;
  /** prod - train. */
  change: number;
  /** Null when the pooled rate is 0 or 1: both sides all present (or all missing), nothing to test. */
  z: number | null;
  pvalue: number | null;
}

export function compareNullRates(
  missingTrain: number,
  rowsTrain: number,
  missingProd: number,
  rowsProd: number,
): NullRateComparison {
  const train = rowsTrain > 0 ? missingTrain / rowsTrain : 0;
  const prod = rowsProd > 0 ? missingProd / rowsProd : 0;
  const pooled = (missingTrain + missingProd) / (rowsTrain + rowsProd);
  if (!(pooled > 0 && pooled < 1)) return { train, prod, change: prod - train, z: null, pvalue: null };
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / rowsTrain + 1 / rowsProd));
  const z = (prod - train) / se;
  return { train, prod, change: prod - train, z, pvalue: normalTwoSidedP(z) };
}
