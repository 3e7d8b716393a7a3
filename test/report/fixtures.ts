// Small, fixed results for the renderer tests (golden files, escaping, size limits). Written by
// hand so that the golden files change only when a renderer does; each is schema-valid (checked
// in renderers.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckRunResult } from '../../src/check/types.js';
import type { DiffResult, FeatureDiff, TimelineBucket } from '../../src/diff/index.js';
import type { DriftReport } from '../../src/report/drift-text.js';

const TOL = { abs: 1e-9, rel: 1e-9 };

function feature(name: string, overrides: Partial<FeatureDiff> = {}): FeatureDiff {
  return {
    name,
    status: 'compared',
    left_type: 'BIGINT',
    right_type: 'DOUBLE',
    compared: 1200,
    mismatches: 0,
    mismatch_rate: 0,
    max_abs_diff: 0,
    max_rel_diff: 0,
    tolerance: TOL,
    null_mismatches: 0,
    ...overrides,
  };
}

/** 3 days of hourly buckets, 40 windows each; from day 2, 06:00 on, 12 of them differ. */
function buckets(): TimelineBucket[] {
  const out: TimelineBucket[] = [];
  const start = Date.parse('2026-03-01T00:00:00Z');
  for (let h = 0; h < 72; h++) {
    const bad = h >= 30 ? 12 : 0;
    out.push({
      start: new Date(start + h * 3_600_000).toISOString(),
      windows: 40,
      mismatched: bad,
      only_left: 0,
      only_right: 0,
      feature_mismatches: [bad],
    });
  }
  return out;
}

export function replayFail(): DiffResult {
  return {
    schema_version: 1,
    command: 'replay',
    verdict: 'fail',
    reasons: ['504 of 2,880 (key, window) rows differ (17.50% > allowed 0%)'],
    sides: {
      left: { label: 'batch', source: 'features.sql', rows: 2880 },
      right: { label: 'stream', source: 'features.ts', rows: 2880 },
    },
    keys: ['user_id'],
    time_columns: ['window_start', 'window_end'],
    tolerance: { ...TOL, per_feature: {} },
    max_mismatch_rate: 0,
    summary: {
      left_rows: 2880,
      right_rows: 2880,
      windows: 2880,
      matched: 2376,
      mismatched: 504,
      only_left: 0,
      only_right: 0,
      duplicates: 0,
      mismatch_rate: 0.175,
    },
    features: [
      feature('total_spent_5m', { left_type: 'DECIMAL(18,2)', compared: 2880 }),
      feature('txn_count_5m', { compared: 2880 }),
      feature('unique_merchants_5m', {
        compared: 2880,
        mismatches: 504,
        mismatch_rate: 0.175,
        max_abs_diff: 2,
        max_rel_diff: 0.666667,
      }),
    ],
    top_keys: [
      {
        key: { user_id: 'u0007' },
        mismatched_windows: 31,
        only_left: 0,
        only_right: 0,
        features: ['unique_merchants_5m'],
      },
      {
        key: { user_id: 'u0002' },
        mismatched_windows: 27,
        only_left: 0,
        only_right: 0,
        features: ['unique_merchants_5m'],
      },
      {
        key: { user_id: 'u0011' },
        mismatched_windows: 19,
        only_left: 0,
        only_right: 0,
        features: ['unique_merchants_5m'],
      },
    ],
    samples: [
      {
        key: { user_id: 'u0002' },
        window: { window_start: '2026-03-02T06:05:00.000Z', window_end: '2026-03-02T06:10:00.000Z' },
        status: 'mismatch',
        differences: [{ feature: 'unique_merchants_5m', left: 1, right: 2, abs_diff: 1, rel_diff: 0.5 }],
      },
      {
        key: { user_id: 'u0007' },
        window: { window_start: '2026-03-02T07:30:00.000Z', window_end: '2026-03-02T07:35:00.000Z' },
        status: 'mismatch',
        differences: [{ feature: 'unique_merchants_5m', left: 2, right: 3, abs_diff: 1, rel_diff: 0.333333 }],
      },
    ],
    duplicates: {
      left: { groups: 0, rows: 0, examples: [] },
      right: { groups: 0, rows: 0, examples: [] },
    },
    notes: [],
    diagnoses: [
      {
        code: 'definition_difference',
        tier: 'reproduced',
        rows: 504,
        reproduced_rows: 504,
        share: 1,
        message: 'unique_merchants_5m is higher on the stream side in every differing row, by 1 or 2',
        evidence: { stream_higher: 504 },
        fix_hint: 'aggregate the same column with the same function on both sides',
      },
    ],
    plots: {
      timeline: {
        column: 'window_start',
        bucket: '1 hour',
        bucket_seconds: 3600,
        features: ['unique_merchants_5m'],
        buckets: buckets(),
        rows_without_time: 0,
      },
      scatter: [
        {
          feature: 'unique_merchants_5m',
          rows: 2880,
          mismatches: 504,
          sampled_rows: 1004,
          points: [
            { left: 1, right: 2, mismatch: true, rows: 380 },
            { left: 1, right: 3, mismatch: true, rows: 40 },
            { left: 2, right: 3, mismatch: true, rows: 84 },
            { left: 1, right: 1, mismatch: false, rows: 420 },
            { left: 2, right: 2, mismatch: false, rows: 60 },
            { left: 3, right: 3, mismatch: false, rows: 20 },
          ],
        },
      ],
    },
    replay: {
      events: 6000,
      events_without_time: 0,
      module_kind: 'feature',
      batch_rows: 2880,
      stream_rows: 2880,
      windows_opened: 2880,
      max_open_windows: 40,
      order: {
        kind: 'arrival',
        arrival_column: 'received_at',
        max_out_of_orderness_ms: 5000,
        allowed_lateness_ms: 0,
      },
      late: {
        events: 14,
        windows: 9,
        examples: [{ key: { user_id: 'u0007' }, window_start: '2026-03-02T07:30:00.000Z', events: 3 }],
      },
    },
  };
}

/** A diff with every kind of difference: one-sided rows and features, a type change, duplicates. */
export function diffMixed(): DiffResult {
  return {
    schema_version: 1,
    command: 'diff',
    verdict: 'fail',
    reasons: [
      '9 of 100 (key, window) rows differ (9.00% > allowed 2.00%)',
      '4 rows have a duplicated (key, window)',
      'feature segment exists only on the right side',
      'feature score is DOUBLE on the left side and VARCHAR on the right side',
    ],
    sides: {
      left: { label: 'left', source: 'offline.parquet', rows: 98 },
      right: { label: 'right', source: 'online.parquet', rows: 99 },
    },
    keys: ['user_id', 'merchant_id'],
    time_columns: ['window_start'],
    tolerance: { abs: 0.01, rel: 0, per_feature: { amount: { abs: 0.5, rel: 0 } } },
    max_mismatch_rate: 0.02,
    summary: {
      left_rows: 98,
      right_rows: 99,
      windows: 100,
      matched: 91,
      mismatched: 5,
      only_left: 2,
      only_right: 2,
      duplicates: 4,
      mismatch_rate: 0.09,
    },
    features: [
      feature('amount', {
        left_type: 'DOUBLE',
        compared: 96,
        mismatches: 3,
        mismatch_rate: 0.03125,
        max_abs_diff: 12.5,
        max_rel_diff: 0.25,
        tolerance: { abs: 0.5, rel: 0 },
        null_mismatches: 1,
      }),
      feature('score', {
        status: 'type_mismatch',
        left_type: 'DOUBLE',
        right_type: 'VARCHAR',
        compared: 96,
        mismatches: 2,
        mismatch_rate: 0.0208333,
        max_abs_diff: null,
        max_rel_diff: null,
        tolerance: null,
      }),
      feature('segment', {
        status: 'only_right',
        left_type: null,
        right_type: 'VARCHAR',
        compared: 0,
        max_abs_diff: null,
        max_rel_diff: null,
        tolerance: null,
      }),
    ],
    top_keys: [
      {
        key: { user_id: 'u1', merchant_id: 7 },
        mismatched_windows: 2,
        only_left: 1,
        only_right: 0,
        features: ['amount'],
      },
      {
        key: { user_id: 'u2', merchant_id: null },
        mismatched_windows: 0,
        only_left: 0,
        only_right: 2,
        features: [],
      },
    ],
    samples: [
      {
        key: { user_id: 'u1', merchant_id: 7 },
        window: { window_start: '2026-01-01T10:00:00.000Z' },
        status: 'mismatch',
        differences: [
          { feature: 'amount', left: 50, right: 62.5, abs_diff: 12.5, rel_diff: 0.2 },
          { feature: 'score', left: '0.5', right: 'high', abs_diff: null, rel_diff: null },
        ],
      },
      {
        key: { user_id: 'u1', merchant_id: 7 },
        window: { window_start: '2026-01-01T11:00:00.000Z' },
        status: 'only_left',
        differences: [],
      },
      {
        key: { user_id: 'u2', merchant_id: null },
        window: { window_start: '2026-01-01T10:00:00.000Z' },
        status: 'only_right',
        differences: [],
      },
    ],
    duplicates: {
      left: {
        groups: 1,
        rows: 2,
        examples: [
          {
            key: { user_id: 'u9', merchant_id: 1 },
            window: { window_start: '2026-01-01T12:00:00.000Z' },
            count: 2,
          },
        ],
      },
      right: {
        groups: 1,
        rows: 2,
        examples: [
          {
            key: { user_id: 'u8', merchant_id: 3 },
            window: { window_start: '2026-01-01T12:00:00.000Z' },
            count: 2,
          },
        ],
      },
    },
    notes: [
      'merchant_id is BIGINT on the left side and VARCHAR on the right side; rows were aligned on its text form',
    ],
    mismatches_file: 'mismatches.parquet',
    plots: { timeline: null, scatter: [] },
  };
}

export function diffPass(): DiffResult {
  const result = replayFail();
  return {
    ...result,
    command: 'diff',
    verdict: 'pass',
    reasons: [],
    sides: {
      left: { label: 'left', source: 'a.csv', rows: 2880 },
      right: { label: 'right', source: 'b.csv', rows: 2880 },
    },
    summary: { ...result.summary, matched: 2880, mismatched: 0, mismatch_rate: 0 },
    features: result.features.map((f) => ({
      ...f,
      mismatches: 0,
      mismatch_rate: 0,
      max_abs_diff: 0,
      max_rel_diff: 0,
    })),
    top_keys: [],
    samples: [],
    diagnoses: undefined,
    plots: { timeline: null, scatter: [] },
    replay: undefined,
  };
}

export const XSS = '<script>alert(1)</script>';

/** Data values that try to break out of every format: HTML, Markdown tables, code spans, XML. */
export function hostile(): DiffResult {
  const result = replayFail();
  const name = `${XSS}|\`x\`\n@team *bold*`;
  const key = { user_id: `"><img src=x onerror=alert(1)>${XSS}` };
  result.sides.left.source = `${XSS}.sql`;
  result.features[2]!.name = name;
  // A short key, so that the chart shows it whole (long axis labels are cut).
  result.top_keys = result.top_keys.map((k, i) => ({
    ...k,
    key: i === 0 ? { user_id: XSS } : k.key,
    features: [name],
  }));
  result.samples = result.samples.map((s) => ({
    ...s,
    key,
    differences: s.differences.map((d) => ({ ...d, feature: name, left: XSS, right: '``|`' })),
  }));
  result.reasons = [`feature ${name} differs`, 'second reason'];
  result.notes = [`note about ${XSS}`];
  result.diagnoses![0]!.message = `${name} differs`;
  result.plots!.timeline!.features = [name];
  result.plots!.scatter[0]!.feature = name;
  return result;
}

/** `n` failing features with long names: for the size limits. */
export function manyFailing(n: number): DiffResult {
  const result = replayFail();
  result.features = Array.from({ length: n }, (_, i) =>
    feature(`feature_${String(i).padStart(4, '0')}_${'x'.repeat(80)}`, {
      compared: 2880,
      mismatches: 1 + (i % 17),
      mismatch_rate: (1 + (i % 17)) / 2880,
      max_abs_diff: i + 0.5,
      max_rel_diff: 0.01,
    }),
  );
  result.top_keys = Array.from({ length: 10 }, (_, i) => ({
    key: { user_id: `user_${i}_${'k'.repeat(100)}` },
    mismatched_windows: 50 - i,
    only_left: 0,
    only_right: 0,
    features: result.features.slice(0, 40).map((f) => f.name),
  }));
  result.samples = Array.from({ length: 20 }, (_, i) => ({
    key: { user_id: `user_${i}` },
    window: { window_start: '2026-03-02T06:05:00.000Z', window_end: '2026-03-02T06:10:00.000Z' },
    status: 'mismatch' as const,
    differences: result.features.slice(0, 50).map((f) => ({
      feature: f.name,
      left: 'v'.repeat(300),
      right: 'w'.repeat(300),
      abs_diff: null,
      rel_diff: null,
    })),
  }));
  return result;
}

/** A result as large as the plot data allows: 12 continuous features × 2,000 points, 300 buckets. */
export function largest(): DiffResult {
  const result = manyFailing(1500);
  const start = Date.parse('2026-01-01T00:00:00Z');
  result.plots = {
    timeline: {
      column: 'window_start',
      bucket: '1 hour',
      bucket_seconds: 3600,
      features: result.features.slice(0, 6).map((f) => f.name),
      buckets: Array.from({ length: 300 }, (_, i) => ({
        start: new Date(start + i * 3_600_000).toISOString(),
        windows: 40_000 + ((i * 7919) % 5000),
        mismatched: (i * 31) % 900,
        only_left: i % 7,
        only_right: i % 5,
        feature_mismatches: [1, 2, 3, 4, 5, 6].map((k) => (i * k) % 50),
      })),
      rows_without_time: 0,
    },
    scatter: result.features.slice(0, 12).map((f, k) => ({
      feature: f.name,
      rows: 10_000_000,
      mismatches: 400_000,
      sampled_rows: 2000,
      points: Array.from({ length: 2000 }, (_, i) => {
        const x = Math.sin(i * 12.9898 + k) * 43758.5453;
        const left = x - Math.floor(x);
        return {
          left: left * 1000,
          right: left * 1000 + (i < 1500 ? (i % 13) - 6 : 0),
          mismatch: i < 1500,
          rows: 1,
        };
      }),
    })),
  };
  return result;
}

/** `skewcheck drift` on the fraud snapshots with plot data (fixtures/make-drift-fixture.mjs). */
export function driftFail(): DriftReport {
  return JSON.parse(
    readFileSync(join(import.meta.dirname, 'fixtures/drift-fraud.json'), 'utf8'),
  ) as DriftReport;
}

/** No drift beyond a gate of 3, and no plot data: the charts fall back to summary numbers. */
export function driftPass(): DriftReport {
  const result = driftFail();
  result.verdict = 'pass';
  result.reasons = [];
  result.settings.max_drifted = { count: 3 };
  result.plots = undefined;
  return result;
}

/** Feature and category names that try to break out of every format. */
export function driftHostile(): DriftReport {
  const result = driftFail();
  const country = result.features.find((f) => f.name === 'country')!;
  country.name = `${XSS}|country`;
  country.categorical!.top_shifts[0]!.category = XSS;
  country.categorical!.new_categories.values = [XSS, '`|`'];
  const plot = result.plots!.features.find((p) => p.feature === 'country')!;
  plot.feature = country.name;
  if (plot.kind === 'categorical') plot.categories[0]!.value = XSS;
  result.snapshots.prod.source = `${XSS}.parquet`;
  return result;
}

/** A `check` run with one check of each status: fail, baselined, pass, error, skipped. */
export function checkRun(): CheckRunResult {
  return {
    schema_version: 1,
    command: 'check',
    config: 'skewcheck.yaml',
    verdict: 'fail',
    summary: { checks: 5, passed: 1, baselined: 1, failed: 1, errors: 1, skipped: 1 },
    checks: [
      {
        name: 'fraud_5m',
        kind: 'replay',
        status: 'fail',
        headline:
          '504 of 2,880 rows differ (17.50%): unique_merchants_5m — likely definition difference (new or worse than the baseline: unique_merchants_5m 17.50%)',
        baseline: { accepted: [], new: ['unique_merchants_5m 17.50%'], expired: [] },
        result: replayFail(),
      },
      {
        name: 'fraud_mixed',
        kind: 'replay',
        status: 'baselined',
        headline: 'rows differ (accepted in the baseline: names vs ids, fixed in FEAT-123)',
        baseline: { accepted: ['merchant_name'], new: [], expired: [] },
        result: diffMixed(),
      },
      {
        name: 'train_vs_prod',
        kind: 'drift',
        status: 'pass',
        headline: '3 of 7 features drifted: device_type, country, distance_from_home_km',
        result: driftPass(),
      },
      {
        name: 'broken',
        kind: 'replay',
        status: 'error',
        headline: 'features.sql: Parser Error: syntax error at or near "FROM"',
        error: 'features.sql: Parser Error: syntax error at or near "FROM"\n  LINE 3: FROM FROM events',
      },
      {
        name: 'ecommerce',
        kind: 'drift',
        status: 'skipped',
        headline: 'none of its inputs changed since origin/main',
        skipped_reason: 'none of its inputs changed since origin/main',
      },
    ],
    notes: ['fraud_old passes: its baseline entry is no longer needed'],
  };
}
