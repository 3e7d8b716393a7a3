import { describe, expect, it } from 'vitest';
import type { FeatureResult } from '../../src/drift/types.js';
import {
  checkAlpha,
  compareSeverity,
  DRIFT_DEFAULTS,
  exceedsGate,
  isDrift,
  parseCorrection,
  parseMaxDrifted,
} from '../../src/drift/verdict.js';
import { UsageError } from '../../src/errors.js';

function feature(overrides: Partial<FeatureResult>): FeatureResult {
  const side = { type: 'DOUBLE', rows: 10, nulls: 0, null_rate: 0, count: 10 };
  return {
    name: 'f',
    kind: 'numeric',
    status: 'tested',
    test: 'ks',
    statistic: 0.1,
    pvalue: 0.5,
    pvalue_adjusted: 0.5,
    method: 'exact',
    dof: null,
    effect: 0.1,
    effect_measure: 'ks_d',
    drift: false,
    distribution_drift: false,
    null_rate_drift: false,
    train: side,
    prod: side,
    null_rate: { train: 0, prod: 0, change: 0, z: null, pvalue: null, pvalue_adjusted: null, drift: false },
    numeric: null,
    categorical: null,
    notes: [],
    ...overrides,
  };
}

describe('drift decision', () => {
  it('needs both significance after correction and an effect at least the floor', () => {
    expect(isDrift(0.01, 0.2, 0.05, 0.1)).toBe(true);
    expect(isDrift(0.01, 0.05, 0.05, 0.1)).toBe(false); // significant but tiny
    expect(isDrift(0.2, 0.5, 0.05, 0.1)).toBe(false); // large but not significant
    expect(isDrift(0.05, 0.5, 0.05, 0.1)).toBe(false); // p must be strictly below alpha
    expect(isDrift(0.01, 0.1, 0.05, 0.1)).toBe(true); // the floor itself counts
    expect(isDrift(null, 0.5, 0.05, 0.1)).toBe(false);
  });

  it('gates on a count or on a share of tested features', () => {
    expect(exceedsGate({ drifted: 0, drifted_share: 0 }, DRIFT_DEFAULTS.maxDrifted)).toBe(false);
    expect(exceedsGate({ drifted: 1, drifted_share: 0.1 }, { count: 0 })).toBe(true);
    expect(exceedsGate({ drifted: 2, drifted_share: 0.2 }, { count: 2 })).toBe(false);
    expect(exceedsGate({ drifted: 2, drifted_share: 0.2 }, { share: 0.2 })).toBe(false);
    expect(exceedsGate({ drifted: 3, drifted_share: 0.3 }, { share: 0.2 })).toBe(true);
  });
});

describe('option parsing', () => {
  it('reads --max-drifted as a count or a percentage', () => {
    expect(parseMaxDrifted('0')).toEqual({ count: 0 });
    expect(parseMaxDrifted(' 12 ')).toEqual({ count: 12 });
    expect(parseMaxDrifted('10%')).toEqual({ share: 0.1 });
    expect(parseMaxDrifted('2.5%')).toEqual({ share: 0.025 });
    for (const bad of ['', '-1', '1.5', '101%', 'ten', '10 %'])
      expect(() => parseMaxDrifted(bad)).toThrow(UsageError);
  });

  it('checks alpha and the correction name', () => {
    expect(checkAlpha(0.01)).toBe(0.01);
    for (const bad of [0, 1, -0.1, Number.NaN]) expect(() => checkAlpha(bad)).toThrow(UsageError);
    expect(parseCorrection('BH')).toBe('bh');
    expect(parseCorrection('bonferroni')).toBe('bonferroni');
    expect(() => parseCorrection('holm')).toThrow(UsageError);
  });
});

describe('severity order', () => {
  it('puts schema problems first, then drift by evidence and effect, then the rest', () => {
    const features = [
      feature({ name: 'skipped', status: 'skipped', pvalue: null, pvalue_adjusted: null, effect: null }),
      feature({ name: 'ok', pvalue_adjusted: 0.9 }),
      feature({ name: 'weak_drift', drift: true, pvalue_adjusted: 1e-3, effect: 0.2 }),
      feature({ name: 'strong_drift', drift: true, pvalue_adjusted: 1e-30, effect: 0.5 }),
      feature({
        name: 'mismatch',
        status: 'type_mismatch',
        pvalue: null,
        pvalue_adjusted: null,
        effect: null,
      }),
      feature({ name: 'empty', status: 'cannot_test', pvalue: null, pvalue_adjusted: null, effect: null }),
      feature({
        name: 'nulls',
        drift: true,
        pvalue_adjusted: 0.7,
        null_rate: { train: 0, prod: 0.3, change: 0.3, z: 20, pvalue: 0, pvalue_adjusted: 0, drift: true },
      }),
      feature({ name: 'also_ok', pvalue_adjusted: 0.9 }),
    ];
    expect(features.sort(compareSeverity).map((f) => f.name)).toEqual([
      'mismatch',
      'nulls',
      'strong_drift',
      'weak_drift',
      'empty',
      'also_ok',
      'ok',
      'skipped',
    ]);
  });
});
