// The Prometheus format: accepted by `promtool check metrics` (Debian's prometheus package) and
// read back by a parser library with every label value intact, for every result kind, with
// hostile feature, side and check names; deterministic; run timing only when given.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import type { CheckRunResult } from '../../src/check/types.js';
import { type ReportResult, renderReport } from '../../src/report/index.js';
import { labelValue, sampleValue } from '../../src/report/prom.js';
import { checkRun, diffMixed, driftFail, hostile, replayFail } from './fixtures.js';

const RUN = { finishedAt: 1_764_600_000.25, durationSeconds: 12.5 };

/** Names that try to break out of a label value, a line or the terminal. */
const HOSTILE = [
  'quote"d',
  'back\\slash\\',
  'new\nline',
  'carriage\rreturn',
  'esc\u001b[32mPASS\u001b[0m',
  'tab\tand nul\u0000',
  'bidi\u202eevil',
  'ünïcödé ✓ 特徴',
  '} 1\nskewcheck_status{status="pass"} 1',
  '',
];

function hostileDiff(): ReportResult {
  const result = diffMixed();
  result.features = result.features.map((f, i) => ({ ...f, name: HOSTILE[i % HOSTILE.length]! + i }));
  result.sides.left.label = 'le"ft\\';
  result.sides.right.label = 'ri\nght';
  return result;
}

function hostileDrift(): ReportResult {
  const result = driftFail();
  result.features.forEach((f, i) => {
    f.name = HOSTILE[i % HOSTILE.length]! + i;
  });
  return result;
}

function hostileCheck(): CheckRunResult {
  const result = checkRun();
  result.checks.forEach((c, i) => {
    c.name = `${HOSTILE[i]!}check${i}`;
  });
  result.checks[0]!.result = hostileDiff() as CheckRunResult['checks'][number]['result'];
  result.checks[2]!.result = hostileDrift() as CheckRunResult['checks'][number]['result'];
  return result;
}

const CASES: [string, () => ReportResult][] = [
  ['replay', replayFail],
  ['replay, hostile', hostile],
  ['diff, hostile', hostileDiff],
  ['drift', driftFail],
  ['drift, hostile', hostileDrift],
  ['check', checkRun],
  ['check, hostile', hostileCheck],
];

const PROMTOOL = spawnSync('promtool', ['--version']).status === 0;
if (!PROMTOOL && !process.env.CI) {
  console.warn(
    'skipping promtool check metrics: promtool is missing (apt-get install -y prometheus); with CI set it runs and fails instead',
  );
}

describe.runIf(PROMTOOL || process.env.CI)('promtool check metrics', () => {
  it("accepts the README's alert rules", () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const rules = /```yaml\n(groups:[\s\S]*?)```/.exec(readme)?.[1];
    expect(rules).toContain('skewcheck_status');
    const file = join(mkdtempSync(join(tmpdir(), 'skewcheck-rules-')), 'rules.yml');
    writeFileSync(file, rules!);
    const check = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
    expect(check.stdout).toContain('SUCCESS: 4 rules found');
    expect(check.status).toBe(0);
  });

  for (const [name, make] of CASES) {
    it(`accepts the metrics of ${name}`, () => {
      const text = renderReport('prom', make(), { run: RUN, durations: new Map([['fraud_5m', 1500]]) });
      const lint = spawnSync('promtool', ['check', 'metrics'], { input: Buffer.from(text, 'utf8') });
      expect(lint.error, 'promtool must be on PATH (Debian: apt-get install -y prometheus)').toBeUndefined();
      expect(`${lint.stdout}${lint.stderr}`).toBe('');
      expect(lint.status).toBe(0);
    });
  }
});

describe('the metrics read back with a parser', () => {
  for (const [name, make] of CASES) {
    it(`keep every label value and number: ${name}`, () => {
      const result = make();
      const families = parsePrometheusTextFormat(renderReport('prom', result, { run: RUN }));
      const sample = (metric: string, labels: Record<string, string>) =>
        families
          .find((f) => f.name === metric)
          ?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
      expect(families.every((f) => f.type === 'GAUGE' && f.help.length > 20)).toBe(true);
      const runs =
        result.command === 'check'
          ? result.checks.flatMap((c) => (c.result ? [{ check: c.name, r: c.result }] : []))
          : [{ check: result.command as string, r: result }];
      for (const { check, r } of runs) {
        if (r.command === 'drift') {
          for (const f of r.features) {
            expect(sample('skewcheck_drift_detected', { check, feature: f.name })?.value).toBe(
              f.drift ? '1' : '0',
            );
            if (f.statistic !== null && f.test !== null)
              expect(
                Number(sample('skewcheck_drift_statistic', { check, feature: f.name, test: f.test })?.value),
              ).toBe(f.statistic);
          }
        } else {
          for (const f of r.features) {
            expect(
              Number(sample('skewcheck_feature_mismatch_ratio', { check, feature: f.name })?.value),
            ).toBe(f.mismatch_rate);
          }
          const bad = r.summary.mismatched;
          expect(Number(sample('skewcheck_mismatched_rows', { check })?.value)).toBe(bad);
          expect(Number(sample('skewcheck_rows', { check, side: r.sides.left.label })?.value)).toBe(
            r.sides.left.rows,
          );
        }
      }
      expect(Number(sample('skewcheck_last_run_timestamp_seconds', {})?.value)).toBe(RUN.finishedAt);
    });
  }

  it('give one status per check, and the count of checks by status', () => {
    const families = parsePrometheusTextFormat(renderReport('prom', checkRun(), { run: RUN }));
    const status = families.find((f) => f.name === 'skewcheck_status')!.metrics;
    const current = status.filter((m) => m.value === '1').map((m) => [m.labels!.check, m.labels!.status]);
    expect(current.sort()).toEqual([
      ['broken', 'error'],
      ['ecommerce', 'skipped'],
      ['fraud_5m', 'fail'],
      ['fraud_mixed', 'baselined'],
      ['train_vs_prod', 'pass'],
    ]);
    const counts = families.find((f) => f.name === 'skewcheck_checks')!.metrics;
    expect(Object.fromEntries(counts.map((m) => [m.labels!.status, m.value]))).toEqual({
      pass: '1',
      fail: '1',
      baselined: '1',
      error: '1',
      skipped: '1',
    });
  });
});

describe('prom format', () => {
  it('escapes backslash, double quote and newline in label values, and nothing else', () => {
    expect(labelValue('a\\b"c\nd\re\u001b')).toBe('a\\\\b\\"c\\nd\re\u001b');
    expect([NaN, Infinity, -Infinity, 0.5, 1e-310, 12].map(sampleValue)).toEqual([
      'NaN',
      '+Inf',
      '-Inf',
      '0.5',
      '1e-310',
      '12',
    ]);
  });

  it('is deterministic: the order features are listed in does not change the bytes', () => {
    const result = driftFail();
    const reversed = driftFail();
    reversed.features.reverse();
    expect(renderReport('prom', reversed, { run: RUN })).toBe(renderReport('prom', result, { run: RUN }));
  });

  it('writes the run time and duration only when they are known (not when a saved result is re-rendered)', () => {
    const text = renderReport('prom', replayFail());
    expect(text).not.toContain('skewcheck_last_run_timestamp_seconds');
    expect(text).not.toContain('skewcheck_run_duration_seconds');
    expect(renderReport('prom', replayFail(), { run: RUN })).toContain(
      'skewcheck_run_duration_seconds{check="replay",command="replay"} 12.5\n',
    );
  });
});
